# syntax=docker/dockerfile:1
# The chartrelease operator image: compiled in one stage, production dependencies installed in
# another, and only those two results copied onto a distroless Node runtime that runs as non-root.
#   docker build -t chartrelease/operator:0.1.0 .
ARG NODE_MAJOR=20

FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# npm run build: tsc, then bin/bundle-cli.js bundles what `chartrelease template` runs in its
# render worker (with V8's code cache, made by rendering examples/checkout-api once).
COPY examples ./examples
RUN npm run build

FROM node:${NODE_MAJOR}-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Distroless: Node and its libraries, no shell, no package manager; user 65532 (nonroot).
FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist/src ./dist/src
USER 65532:65532
EXPOSE 8080 9440
# A 2 MiB semi-space (V8's young generation, 16 MiB by default): the operator makes short-lived
# garbage at a high rate, and a nursery V8 lets grow stays resident. bench/scale.js runs the operator
# with these flags: 123 instead of 152 MiB peak RSS at 300 releases, the same CPU (docs/performance.md).
# --heap-growing-percent=50: after a full GC each heap (the main thread's and the render worker's) may
# grow to 1.5 times what survived before the next one, whatever the heap's ceiling (V8 lets a heap with
# a ceiling of 2 GiB or more grow to 4 times: 68 MiB of heap for 18 MiB live at 1,000 releases).
# --single-threaded-gc: V8 collects on the thread that allocates, without helper threads. The heaps
# are small, and on the few cores an operator gets, handing a 2 MiB nursery to helper threads cost
# more than it saved: 10 to 14 % less operator CPU at 1,000 releases, half the minor-GC pause time.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=2", "--heap-growing-percent=50", "--single-threaded-gc", "bin/chartrelease.js"]
CMD ["operator"]
