// Charts from OCI registries, over the distribution API as Helm's registry client uses it: tags
// listed page by page (Link header) to resolve a version constraint (a chart version's `+` is `_` in
// its tag), the manifest fetched with Helm's media types and verified against its digest (and the
// pinned digest, when there is one), then the config and chart layers, each verified against the
// manifest's descriptor. Anonymous pull, Basic auth and the Bearer token flow of a `WWW-Authenticate`
// challenge. Every request has a deadline and a size ceiling (src/source/http.ts). Given an
// OciRegistryCache (oci-cache.ts), fetches of the same repository share the Bearer token until it
// expires and the tag list for a short time.
import { createHash } from 'node:crypto';
import type { ArchiveCache } from './cache.js';
import { authFingerprint } from './credentials.js';
import type { FetchedToken, OciRegistryCache } from './oci-cache.js';
import { displayUrl, httpGet, type GetResult } from './http.js';
import { dockerConfigCredentials, DockerConfigError, parseChallenges, pullScope, tokenUrl } from './oci-auth.js';
import { chartVersionsFromTags, isExactVersion, ociBase, ociRequest, versionToTag, type OciReference, type OciRequest } from './oci-reference.js';
import { nearestVersions, pickVersion, satisfies, sortVersionsDescending } from './versions.js';
import { ChartSourceError, type FetchedChart, type SourceAuth } from './types.js';

/** Helm's media types (helm.sh/helm/v4/pkg/registry constants). */
export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** The chart layer's type before Helm 3.7; Helm still reads it. */
export const LEGACY_CHART_LAYER_MEDIA_TYPE = 'application/tar+gzip';
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** What a ChartRelease's spec.chart.oci (or the CLI) asks for. */
export interface OciChartSource {
  /** `oci://host[:port]/path/name`, optionally with `:tag` or `@sha256:...`. */
  url: string;
  /** An exact version, a Masterminds constraint, or `X@sha256:...`; empty: the newest stable version. */
  version?: string;
  /** Pins the manifest digest (`sha256:...`). */
  digest?: string;
  /** Talk HTTP instead of HTTPS (helm's --plain-http). */
  plainHTTP?: boolean;
  /** Skip TLS verification (overrides the auth's setting when true). */
  insecureSkipTLSVerify?: boolean;
}

export interface OciFetchOptions {
  auth?: SourceAuth;
  /** Each request's deadline, headers and body (default 2 minutes). */
  deadlineMs?: number;
  /** Longest wait for the next bytes (default 30 s). */
  idleTimeoutMs?: number;
  /** Largest chart layer accepted (default 64 MiB). */
  maxArchiveBytes?: number;
  /** Tags asked per page of the tag list (the registry's default when unset). */
  tagPageSize?: number;
  signal?: AbortSignal;
  /** Chart layers by digest on disk: a layer held there is not downloaded again. */
  archives?: ArchiveCache;
  /** Tokens and tag lists shared with other fetches of the same repository and credentials. */
  registries?: OciRegistryCache;
  /** With `registries`: a tag list read less than this long ago (at most 30 s) is used as it is (default 0: only fetches at the same moment share one). */
  tagListMaxAgeMs?: number;
}

export const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024; // the distribution registry's own manifest limit
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_TAG_PAGE_BYTES = 8 * 1024 * 1024;
const MAX_TAG_PAGES = 1000;
const MAX_TAGS = 100_000;
const MAX_TOKEN_BYTES = 1024 * 1024;
const DEFAULT_DEADLINE_MS = 2 * 60_000;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** The parts of a Helm chart manifest chartrelease reads. */
export interface HelmManifest {
  config: Descriptor;
  chart: Descriptor;
}

/** `identityToken`: an OAuth2 refresh token (a dockerconfigjson `identitytoken`), exchanged at the realm for access tokens. */
type Credentials = { username?: string; password?: string; token?: string; identityToken?: string };

/** The credentials that apply to `registry`: a dockerconfigjson's entry for that host, else username/password/token. */
export function credentialsFor(auth: SourceAuth | undefined, registry: string, shown: string): Credentials {
  if (!auth) return {};
  if (auth.dockerConfigJson !== undefined) {
    let found;
    try {
      found = dockerConfigCredentials(auth.dockerConfigJson, registry);
    } catch (err) {
      if (err instanceof DockerConfigError) throw new ChartSourceError('SourceInvalid', `${shown}: ${err.message}`, false);
      throw err;
    }
    if (found) return found;
  }
  return { username: auth.username, password: auth.password, token: auth.token };
}

/** A verified digest of `data`: `algo:hex` with the algorithm `expected` names. */
function digestOf(data: Buffer, expected: string): string {
  const algo = expected.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algo}:${createHash(algo).update(data).digest('hex')}`;
}

/**
 * One registry repository, with the authorization learnt from its challenges: requests go out
 * anonymously until the registry asks for Basic credentials or a Bearer token; a token is fetched
 * from the challenge's realm once and reused (by later fetches too, through `options.registries`).
 */
class RegistryClient {
  readonly base: string;
  readonly shown: string;
  /** What this client shares tokens and tags under: the repository's URL and the credentials. */
  private readonly sharedKey: string;
  private authorization: { username?: string; password?: string; token?: string } | undefined;
  private readonly creds: Credentials;
  private readonly tls: SourceAuth;

  constructor(
    readonly ref: OciReference,
    private readonly source: OciChartSource,
    private readonly options: OciFetchOptions,
  ) {
    this.base = `${source.plainHTTP ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}`;
    this.shown = ociBase(ref);
    this.creds = credentialsFor(options.auth, ref.registry, this.shown);
    const a = options.auth ?? {};
    this.tls = {
      ...(a.caPem ? { caPem: a.caPem } : {}),
      ...(a.certPem ? { certPem: a.certPem } : {}),
      ...(a.keyPem ? { keyPem: a.keyPem } : {}),
      insecureSkipTLSVerify: Boolean(source.insecureSkipTLSVerify || a.insecureSkipTLSVerify),
    };
    this.sharedKey = `${this.base}\0${authFingerprint(options.auth)}\0${this.tls.insecureSkipTLSVerify ? 'insecure' : ''}`;
    // A registry token is sent from the first request; username/password only once a challenge asks;
    // a token another fetch of this repository got (and that has not expired) from the first request (get()).
    if (this.creds.token) this.authorization = { token: this.creds.token };
  }

  private hasCredentials(): boolean {
    return Boolean(this.creds.token || this.creds.username || this.creds.password || this.creds.identityToken);
  }

  private async send(url: string, what: string, maxBytes: number, headers?: Record<string, string>): Promise<GetResult> {
    try {
      return await httpGet(url, {
        auth: { ...this.tls, ...(this.authorization ?? {}) },
        sendCredentials: this.authorization !== undefined,
        deadlineMs: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS,
        ...(this.options.idleTimeoutMs ? { idleTimeoutMs: this.options.idleTimeoutMs } : {}),
        maxBytes,
        what: `${this.shown}: ${what}`,
        ...(headers ? { headers } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
    } catch (err) {
      throw this.explain(err);
    }
  }

  /** Adds the hints a registry user needs to a transport error. */
  private explain(err: unknown): unknown {
    if (!(err instanceof ChartSourceError)) return err;
    if (err.reason === 'SourceUnreachable' && /certificate required|alert bad certificate|alert unknown ca|alert handshake failure/i.test(err.message)) {
      const first = err.message.split(/\); give /)[0]!.replace(/\s*\n\s*/g, ' ');
      return new ChartSourceError('SourceUnreachable', `${first}); the registry asks for a client certificate: give tls.crt and tls.key in the credentials Secret (--cert-file/--key-file)`, false);
    }
    if (err.reason === 'SourceUnreachable' && !this.source.plainHTTP && /EPROTO|wrong version number|packet length too long/i.test(err.message)) {
      return new ChartSourceError('SourceUnreachable', `${err.message}; the registry seems to speak plain HTTP: set plainHTTP: true (helm's --plain-http)`, false);
    }
    if (err.reason === 'SourceUnreachable' && /ECONNREFUSED|ECONNRESET|host not found|ETIMEDOUT|EHOSTUNREACH/.test(err.message)) {
      return new ChartSourceError('SourceUnreachable', `${err.message}; check the registry host and port in the URL${this.source.plainHTTP ? '' : ' (and plainHTTP for a registry without TLS)'}`, err.retryable);
    }
    return err;
  }

  /** A GET on the registry, answering one authentication challenge. Resolves for 2xx and 404; throws for the rest. */
  async get(url: string, what: string, maxBytes: number, headers?: Record<string, string>): Promise<GetResult> {
    // A fetch that started before another one got the repository's token uses it as soon as it is there.
    if (!this.authorization) {
      const shared = this.options.registries?.heldToken(this.sharedKey);
      if (shared !== undefined) this.authorization = { token: shared };
    }
    let result = await this.send(url, what, maxBytes, headers);
    if (result.status === 401) {
      await this.answerChallenge(result, what);
      result = await this.send(url, what, maxBytes, headers);
    }
    if (result.status === 401 || result.status === 403) throw this.authError(result.status, what);
    if (result.status >= 200 && result.status < 300) return result;
    if (result.status === 404) return result;
    if (result.status === 408 || result.status === 429 || result.status >= 500) {
      throw new ChartSourceError('SourceUnreachable', `${this.shown}: ${what}: the registry answered ${result.status}${registryErrors(result)}; retrying with backoff`, true);
    }
    if (this.source.plainHTTP && result.status === 400 && /HTTPS server/i.test(result.body.subarray(0, 512).toString('utf8'))) {
      throw new ChartSourceError('SourceInvalid', `${this.shown}: ${what}: the registry speaks HTTPS, not plain HTTP: remove plainHTTP (--plain-http)`, false);
    }
    throw new ChartSourceError('SourceInvalid', `${this.shown}: ${what}: the registry answered ${result.status}${registryErrors(result)}`, false);
  }

  private authError(status: number, what: string): ChartSourceError {
    const given = this.hasCredentials();
    const action = given
      ? status === 403
        ? 'the credentials are valid but may not pull this repository: grant them pull access or use other credentials'
        : 'the registry refused the credentials: check the username/password or token in secretRef (or --username/--password)'
      : 'the registry requires credentials: set spec.chart.oci.secretRef to a Secret with username/password, a token, or a kubernetes.io/dockerconfigjson Secret (CLI: --username/--password)';
    return new ChartSourceError('SourceAuthFailed', `${this.shown}: ${what}: ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}; ${action}`, false);
  }

  private async answerChallenge(result: GetResult, what: string): Promise<void> {
    const header = result.headers['www-authenticate'];
    const challenges = parseChallenges(Array.isArray(header) ? header.join(', ') : (header ?? ''));
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      const shared = this.options.registries;
      if (!shared) {
        this.authorization = { token: (await this.fetchToken(bearer)).token };
        return;
      }
      // The token sent was refused (expired early, revoked): no one should use it again.
      if (this.authorization?.token) shared.rejectToken(this.sharedKey, this.authorization.token);
      this.authorization = { token: await shared.token(this.sharedKey, () => this.fetchToken(bearer)) };
      return;
    }
    if (basic && (this.creds.username !== undefined || this.creds.password !== undefined)) {
      this.authorization = { username: this.creds.username ?? '', password: this.creds.password ?? '' };
      return;
    }
    throw this.authError(401, what);
  }

  /** The distribution token flow: GET realm?service=&scope= (Basic auth when there are credentials), `token` or `access_token` back, with `expires_in`. */
  private async fetchToken(challenge: ReturnType<typeof parseChallenges>[number]): Promise<FetchedToken> {
    const url = tokenUrl(challenge, pullScope(this.ref.repository));
    if (!url) throw new ChartSourceError('SourceInvalid', `${this.shown}: the registry's Bearer challenge has no usable realm (${JSON.stringify(challenge.params.realm ?? '')})`, false);
    const hasBasic = this.creds.username !== undefined || this.creds.password !== undefined;
    const common = {
      deadlineMs: this.options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      maxBytes: MAX_TOKEN_BYTES,
      what: `${this.shown}: token service`,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    };
    let res: GetResult;
    try {
      if (this.creds.identityToken) {
        // OAuth2 (the distribution token spec's POST form): the refresh token buys an access token for the scope.
        const realm = new URL(url);
        realm.search = new URL(challenge.params.realm!).search;
        res = await httpGet(realm.toString(), {
          ...common,
          auth: this.tls,
          sendCredentials: false,
          form: {
            grant_type: 'refresh_token',
            refresh_token: this.creds.identityToken,
            service: challenge.params.service ?? '',
            scope: url.searchParams.getAll('scope').join(' '),
            client_id: 'chartrelease',
          },
        });
      } else {
        res = await httpGet(url.toString(), {
          ...common,
          auth: { ...this.tls, ...(hasBasic ? { username: this.creds.username ?? '', password: this.creds.password ?? '' } : this.creds.token ? { token: this.creds.token } : {}) },
          sendCredentials: hasBasic || Boolean(this.creds.token),
        });
      }
    } catch (err) {
      throw this.explain(err);
    }
    if (res.status === 401 || res.status === 403) throw this.authError(res.status, `token service ${displayUrl(url)}`);
    if (res.status !== 200) {
      throw new ChartSourceError('SourceUnreachable', `${this.shown}: token service ${displayUrl(url)} answered ${res.status}; retrying with backoff`, res.status >= 500 || res.status === 429);
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ChartSourceError('SourceInvalid', `${this.shown}: token service ${displayUrl(url)} did not answer JSON`, false);
    }
    const token = typeof body?.token === 'string' && body.token ? body.token : typeof body?.access_token === 'string' ? body.access_token : '';
    if (!token) throw new ChartSourceError('SourceInvalid', `${this.shown}: token service ${displayUrl(url)} answered without a token`, false);
    return typeof body.expires_in === 'number' && body.expires_in > 0 ? { token, expiresInS: body.expires_in } : { token };
  }

  /** The repository's tags: a list another fetch read moments ago (options.registries), else listTags(). */
  async tags(): Promise<string[]> {
    const shared = this.options.registries;
    return shared ? shared.tags(this.sharedKey, this.options.tagListMaxAgeMs ?? 0, () => this.listTags()) : this.listTags();
  }

  /** Every tag of the repository, following the Link header page by page. */
  async listTags(): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `${this.base}/tags/list${this.options.tagPageSize ? `?n=${this.options.tagPageSize}` : ''}`;
    for (let page = 0; next; page++) {
      if (page >= MAX_TAG_PAGES || tags.length > MAX_TAGS) {
        throw new ChartSourceError('SourceInvalid', `${this.shown}: more than ${MAX_TAGS} tags or ${MAX_TAG_PAGES} pages of tags; pin an exact version or a digest`, false);
      }
      const res = await this.get(next, 'listing tags', MAX_TAG_PAGE_BYTES, { accept: 'application/json' });
      if (res.status === 404) {
        throw new ChartSourceError('VersionNotFound', `${this.shown}: the repository does not exist in the registry (404 listing its tags); check the URL`, false);
      }
      let body: { tags?: unknown };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        throw new ChartSourceError('SourceInvalid', `${this.shown}: the tag list is not JSON`, false);
      }
      if (body?.tags != null && !Array.isArray(body.tags)) throw new ChartSourceError('SourceInvalid', `${this.shown}: the tag list's "tags" is not a list`, false);
      for (const t of (body?.tags as unknown[] | null) ?? []) if (typeof t === 'string') tags.push(t);
      next = nextLink(res.headers.link, res.url);
    }
    return tags;
  }

  async manifest(reference: string): Promise<{ body: Buffer; digest: string } | undefined> {
    const res = await this.get(`${this.base}/manifests/${reference}`, `manifest ${reference}`, MAX_MANIFEST_BYTES, {
      accept: [OCI_MANIFEST_MEDIA_TYPE, DOCKER_MANIFEST_MEDIA_TYPE, OCI_INDEX_MEDIA_TYPE, DOCKER_LIST_MEDIA_TYPE].join(', '),
    });
    if (res.status === 404) return undefined;
    const pinned = reference.includes(':') ? reference : undefined;
    const digest = digestOf(res.body, pinned ?? (String(res.headers['docker-content-digest'] ?? '').startsWith('sha512:') ? 'sha512:' : 'sha256:'));
    if (pinned && digest !== pinned) {
      throw new ChartSourceError('DigestMismatch', `${this.shown}: the manifest served for ${pinned} has digest ${digest}; the registry or a proxy altered it`, true);
    }
    const claimed = res.headers['docker-content-digest'];
    if (typeof claimed === 'string' && claimed && claimed.split(':')[0] === digest.split(':')[0] && claimed !== digest) {
      throw new ChartSourceError('DigestMismatch', `${this.shown}: manifest ${reference} has digest ${digest} but the registry says ${claimed}; the registry or a proxy altered it`, true);
    }
    return { body: res.body, digest };
  }

  /**
   * A blob, checked against its descriptor's size and digest. A mismatch here or in manifest() is
   * retryable, as a corrupt HTTP repository archive is (and as Flux retries a failed pull): a proxy
   * or a registry replica serving bad bytes may serve good ones next time.
   */
  async blob(d: Descriptor, what: string, maxBytes: number): Promise<Buffer> {
    if (d.size > maxBytes) throw new ChartSourceError('ArchiveInvalid', `${this.shown}: the ${what} is ${d.size} bytes, more than the limit of ${maxBytes}`, false);
    const res = await this.get(`${this.base}/blobs/${d.digest}`, `${what} ${d.digest}`, Math.max(d.size, 0) + 1, { accept: '*/*' });
    if (res.status === 404) throw new ChartSourceError('SourceInvalid', `${this.shown}: the ${what} ${d.digest} named by the manifest is missing from the registry`, false);
    const got = digestOf(res.body, d.digest);
    if (res.body.length !== d.size || got !== d.digest) {
      throw new ChartSourceError('DigestMismatch', `${this.shown}: the ${what} should be ${d.digest} (${d.size} bytes) but the registry served ${got} (${res.body.length} bytes)`, true);
    }
    return res.body;
  }
}

/** Registry error bodies (`{"errors":[{"code","message"}]}`) as a short suffix. */
function registryErrors(res: GetResult): string {
  try {
    const body = JSON.parse(res.body.subarray(0, 4096).toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const text = (body.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean).join('; ');
    return text ? ` (${text.slice(0, 300)})` : '';
  } catch {
    return '';
  }
}

/** The `rel="next"` target of a Link header, resolved against the page's URL. */
export function nextLink(header: string | string[] | undefined, pageUrl: string): string | undefined {
  const text = Array.isArray(header) ? header.join(', ') : header;
  if (!text) return undefined;
  for (const part of text.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?next"?/i.test(m[2]!)) {
      const next = new URL(m[1]!, pageUrl);
      const base = new URL(pageUrl);
      // The next page stays on the same registry: a Link elsewhere would send our credentials away.
      if (next.origin !== base.origin) return undefined;
      return next.toString();
    }
  }
  return undefined;
}

/** Reads a manifest as Helm does: an OCI image manifest with Helm's config and one chart layer. */
export function parseHelmManifest(body: Buffer, shown: string, reference: string): HelmManifest {
  let m: { schemaVersion?: unknown; mediaType?: unknown; config?: Partial<Descriptor>; layers?: Partial<Descriptor>[]; manifests?: unknown };
  try {
    m = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference} is not JSON`, false);
  }
  if (m?.mediaType === OCI_INDEX_MEDIA_TYPE || m?.mediaType === DOCKER_LIST_MEDIA_TYPE || Array.isArray(m?.manifests)) {
    throw new ChartSourceError('SourceInvalid', `${shown}:${reference} is an image index (a multi-platform image), not a Helm chart; check the URL`, false);
  }
  if (m?.schemaVersion !== 2) throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference} is not an OCI image manifest (schemaVersion ${JSON.stringify(m?.schemaVersion)})`, false);
  const descriptor = (d: Partial<Descriptor> | undefined, what: string): Descriptor => {
    if (!d || typeof d.mediaType !== 'string' || typeof d.digest !== 'string' || typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
      throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference} has a malformed ${what} descriptor`, false);
    }
    if (!/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(d.digest)) {
      throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference}: the ${what} digest ${JSON.stringify(d.digest)} is not sha256:<64 hex> or sha512:<128 hex>`, false);
    }
    return { mediaType: d.mediaType, digest: d.digest, size: d.size };
  };
  const config = descriptor(m.config, 'config');
  if (config.mediaType !== HELM_CONFIG_MEDIA_TYPE) {
    throw new ChartSourceError(
      'SourceInvalid',
      `${shown}:${reference} is not a Helm chart: its config media type is ${config.mediaType}, not ${HELM_CONFIG_MEDIA_TYPE} (is it a container image?)`,
      false,
    );
  }
  const charts = (Array.isArray(m.layers) ? m.layers : []).filter((l) => l?.mediaType === HELM_CHART_LAYER_MEDIA_TYPE || l?.mediaType === LEGACY_CHART_LAYER_MEDIA_TYPE);
  if (charts.length === 0) throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference} does not contain a layer with media type ${HELM_CHART_LAYER_MEDIA_TYPE}`, false);
  // Helm takes the last chart layer it meets; a manifest with two is not one Helm pushed.
  if (charts.length > 1) throw new ChartSourceError('SourceInvalid', `${shown}: manifest ${reference} has ${charts.length} chart layers; a Helm chart has one`, false);
  return { config, chart: descriptor(charts[0], 'chart layer') };
}

/** What a resolved OCI chart is: which tag (if any), and the manifest digest that identifies it. */
export interface ResolvedOciChart {
  request: OciRequest;
  tag?: string;
  digest: string;
  manifest: HelmManifest;
}

/** The tag to fetch for `request`, as Helm chooses it: the version itself when exact, else the best match among the tags. */
async function chooseTag(client: RegistryClient, request: OciRequest): Promise<string> {
  const wanted = request.version;
  if (wanted && isExactVersion(wanted)) return versionToTag(wanted);
  const versions = sortVersionsDescending(chartVersionsFromTags(await client.tags()));
  if (versions.length === 0) {
    throw new ChartSourceError('VersionNotFound', `${client.shown}: the repository has no tags that are chart versions (semver); push one with helm push`, false);
  }
  try {
    return versionToTag(pickVersion(versions, wanted));
  } catch (err) {
    if (err instanceof ChartSourceError) throw new ChartSourceError(err.reason, `${client.shown}: ${err.message}`, err.retryable);
    throw err;
  }
}

async function resolveWith(client: RegistryClient, request: OciRequest): Promise<ResolvedOciChart> {
  if (request.digest) {
    const got = await client.manifest(request.digest);
    if (!got) throw new ChartSourceError('VersionNotFound', `${client.shown}: no manifest with digest ${request.digest}; check the digest (it is the one helm push printed)`, false);
    return { request, digest: got.digest, manifest: parseHelmManifest(got.body, client.shown, `@${request.digest}`) };
  }
  const tag = await chooseTag(client, request);
  const got = await client.manifest(tag);
  if (!got) {
    const versions = chartVersionsFromTags(await client.tags());
    const nearest = nearestVersions(versions, request.version);
    throw new ChartSourceError(
      'VersionNotFound',
      `${client.shown}: no tag ${tag} (version ${JSON.stringify(request.version)}); ${nearest.length ? `nearest available: ${nearest.join(', ')}` : 'the repository has no chart versions'}`,
      false,
    );
  }
  return { request, tag, digest: got.digest, manifest: parseHelmManifest(got.body, client.shown, `:${tag}`) };
}

function clientFor(source: OciChartSource, options: OciFetchOptions): { client: RegistryClient; request: OciRequest } {
  const request = ociRequest(source.url, source.version ?? '', source.digest ?? '');
  return { client: new RegistryClient(request.ref, source, options), request };
}

/** Resolves `source` to a manifest digest without downloading the chart (what a cache keyed by digest needs first). */
export async function resolveOciChart(source: OciChartSource, options: OciFetchOptions = {}): Promise<ResolvedOciChart> {
  const { client, request } = clientFor(source, options);
  return resolveWith(client, request);
}

/** Where a fetched chart came from, for status: `oci://host/path/name:tag@sha256:...`, never with credentials. */
export function ociSource(resolved: ResolvedOciChart): string {
  return `${ociBase(resolved.request.ref)}${resolved.tag ? `:${resolved.tag}` : ''}@${resolved.digest}`;
}

/**
 * Fetches a chart from an OCI registry: resolves the version (or the pinned digest), verifies the
 * manifest, reads the chart's name and version from Helm's config blob and downloads the chart layer,
 * each checked against its digest. Throws ChartSourceError naming the reference and what to change.
 */
export async function fetchOciChart(source: OciChartSource, options: OciFetchOptions = {}): Promise<FetchedChart> {
  const { client, request } = clientFor(source, options);
  const resolved = await resolveWith(client, request);
  const { manifest } = resolved;
  const configBody = await client.blob(manifest.config, 'chart config', MAX_CONFIG_BYTES);
  let config: { name?: unknown; version?: unknown };
  try {
    config = JSON.parse(configBody.toString('utf8'));
  } catch {
    throw new ChartSourceError('SourceInvalid', `${client.shown}: the chart config ${manifest.config.digest} is not JSON`, false);
  }
  if (typeof config?.name !== 'string' || typeof config?.version !== 'string' || !config.name || !config.version) {
    throw new ChartSourceError('SourceInvalid', `${client.shown}: the chart config ${manifest.config.digest} has no name and version`, false);
  }
  const maxArchiveBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  const download = () => client.blob(manifest.chart, 'chart archive', maxArchiveBytes);
  let archive: Buffer;
  if (options.archives && manifest.chart.digest.startsWith('sha256:')) {
    const hex = manifest.chart.digest.slice('sha256:'.length);
    archive = (await options.archives.getOrDownload(`${client.shown}@${manifest.chart.digest}`, hex, download)).data;
    options.archives.put(archive);
  } else {
    archive = await download();
  }
  // A pinned digest plus a version: the pinned chart must be that version, or satisfy that constraint.
  if (request.digest && request.version) {
    const exact = isExactVersion(request.version);
    if (exact ? versionToTag(request.version) !== versionToTag(config.version) : !satisfies(config.version, request.version)) {
      throw new ChartSourceError('SourceInvalid', `${client.shown}@${request.digest} is chart version ${config.version}, ${exact ? 'not' : 'which does not satisfy'} ${request.version}; fix the version or the digest`, false);
    }
  }
  return { name: config.name, version: config.version, digest: resolved.digest, source: ociSource(resolved), archive };
}
