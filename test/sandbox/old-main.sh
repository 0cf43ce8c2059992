#!/usr/bin/env bash
# Runs the hostile-input tests of issue 15 against the code before the sandbox work (056b50e) and
# prints one line per test: pass, fail (with the first assertion or error) or killed (past the
# time limit or out of memory). Usage, from the repository:
#
#   test/sandbox/old-main.sh [OLD_COMMIT] [SECONDS_PER_TEST]
#
# It makes a worktree of OLD_COMMIT (default 056b50e) next to the repository's own, copies in the
# test files (and the tar builder they import), builds, and runs each test alone under `nice`, with a
# time limit (default 120 s) and a 2 GiB heap, so a hang or a runaway allocation ends as "killed".
# Nothing of the old code is changed; the copied tests compile against it as they are (an option
# the old loader does not know is ignored).
set -euo pipefail
old=${1:-056b50e}
limit=${2:-120}
repo=$(git rev-parse --show-toplevel)
dir=${CHARTRELEASE_OLD_WORKTREE:-$repo/../chartrelease-old-$old}
if [ ! -d "$dir" ]; then
  git -C "$repo" worktree add --detach "$dir" "$old" >/dev/null
  (cd "$dir" && npm ci --silent >/dev/null)
fi
mkdir -p "$dir/test/sandbox"
cp "$repo"/test/sandbox/{hostile.test.ts,archives.test.ts,tgz.ts} "$dir/test/sandbox/"
cp "$repo/src/chart/tgz.test-helper.ts" "$dir/src/chart/"
(cd "$dir" && nice npx tsc -p tsconfig.json >/dev/null 2>&1 || true) # type errors against the old API still emit
cd "$dir"
for file in hostile archives; do
  js="dist/test/sandbox/$file.test.js"
  node -e 'const t = require("fs").readFileSync(process.argv[1], "utf8"); for (const m of t.matchAll(/^test\(\x27((?:[^\x27\\]|\\.)*)\x27/gm)) { const n = m[1].replace(/\\(.)/g, "$1"); console.log(n + "\t" + n.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&")); }' "test/sandbox/$file.test.ts" | while IFS=$'\t' read -r name pattern; do
    start=$(date +%s)
    set +e
    out=$(timeout -s KILL "$limit" nice node --max-old-space-size=2048 --test-reporter=tap --test-name-pattern="^${pattern}\$" "$js" 2>&1)
    code=$?
    set -e
    took=$(( $(date +%s) - start ))
    if [ $code -eq 0 ] && grep -q '^# pass 1' <<<"$out"; then verdict=pass
    elif [ $code -eq 137 ]; then verdict="killed after ${took}s (time limit)"
    elif grep -q 'heap out of memory\|invalid size error' <<<"$out"; then verdict="crashed after ${took}s ($(grep -o 'heap out of memory\|invalid size error' <<<"$out" | head -1))"
    else
      why=$(grep -m1 -A1 -E "^\s+error: " <<<"$out" | sed -E 's/^\s+//; s/^error: (\|-)?//' | grep -v '^$' | head -1 | cut -c1-160)
      verdict="fails after ${took}s: ${why:-exit $code}"
    fi
    printf '%s\t%s\t%s\n' "$file" "$name" "$verdict"
  done
done
