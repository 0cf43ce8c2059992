// OCI chart references as Helm reads them: `oci://host[:port]/path/name[:tag][@algo:hex]`, a
// version that may carry a digest (`1.4.0@sha256:...`), and Helm's tag convention: OCI tags cannot
// hold `+`, so a chart version's `+` is written `_` in its tag and read back as `+`. Pure.
import { ChartSourceError } from './types.js';

/** A parsed `oci://` reference. */
export interface OciReference {
  /** host or host:port, as written (lower-cased). */
  registry: string;
  /** The repository path inside the registry: `path/name`. */
  repository: string;
  /** A tag written in the URL (`oci://host/name:1.0.0`), already in tag form (`_`, not `+`). */
  tag?: string;
  /** A digest written in the URL (`oci://host/name@sha256:...`). */
  digest?: string;
}

// The distribution reference grammar (distribution/reference): path components, tags, digests.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
const DIGESTS: Record<string, number> = { sha256: 64, sha512: 128 };

/** `problem` when `digest` is not `sha256:<64 hex>` or `sha512:<128 hex>`. */
export function digestProblem(digest: string): string | undefined {
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(digest);
  if (!m) return `${JSON.stringify(digest)} is not a digest: write it as sha256:<64 lower-case hex digits>`;
  const want = DIGESTS[m[1]!];
  if (want === undefined) return `digest algorithm ${m[1]} is not supported: use sha256 (or sha512)`;
  if (m[2]!.length !== want) return `${JSON.stringify(digest)} is not a digest: ${m[1]} takes ${want} hex digits, not ${m[2]!.length}`;
  return undefined;
}

function invalid(url: string, why: string): ChartSourceError {
  return new ChartSourceError('SourceInvalid', `OCI reference ${JSON.stringify(url)}: ${why}`, false);
}

/** Parses `oci://host[:port]/path/name[:tag][@digest]`; throws ChartSourceError (SourceInvalid) naming what is wrong. */
export function parseOciReference(url: string): OciReference {
  if (!url.startsWith('oci://')) throw invalid(url, 'an OCI chart reference starts with oci:// (for example oci://ghcr.io/org/charts/name)');
  let rest = url.slice('oci://'.length);
  let digest: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem) throw invalid(url, problem);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) throw invalid(url, 'it names no repository: write oci://<registry host>/<path>/<chart name>');
  const registry = rest.slice(0, slash).toLowerCase();
  if (!HOST.test(registry)) throw invalid(url, `${JSON.stringify(registry)} is not a registry host[:port]`);
  let path = rest.slice(slash + 1);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    // As Helm does: a `+` in the tag is the chart version's build metadata, written `_`.
    tag = versionToTag(path.slice(colon + 1));
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(url, `${JSON.stringify(tag)} is not a valid tag (letters, digits, _ . -; at most 128)`);
  }
  if (path === '' || path.endsWith('/')) throw invalid(url, 'the repository path is empty or ends with /');
  for (const component of path.split('/')) {
    if (!COMPONENT.test(component)) {
      throw invalid(url, `repository path component ${JSON.stringify(component)} is not valid: lower-case letters and digits, separated by . _ __ or -`);
    }
  }
  if (path.length > 255) throw invalid(url, 'the repository path is longer than 255 characters');
  return { registry, repository: path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The reference without tag or digest: `oci://host/path/name`. */
export function ociBase(ref: Pick<OciReference, 'registry' | 'repository'>): string {
  return `oci://${ref.registry}/${ref.repository}`;
}

/** A chart version as Helm writes it as a tag: `+` becomes `_`. */
export function versionToTag(version: string): string {
  return version.replaceAll('+', '_');
}

/** A tag read back as a chart version: `_` becomes `+`. */
export function tagToVersion(tag: string): string {
  return tag.replaceAll('_', '+');
}

// semver.StrictNewVersion: exactly MAJOR.MINOR.PATCH, no `v`, no leading zeros.
const STRICT_SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * The chart versions a repository's tags stand for, as Helm's registry client lists them: each tag
 * with `_` read as `+`, kept only when it is a strict semantic version (so `latest` and `v1.0` are not
 * chart versions).
 */
export function chartVersionsFromTags(tags: readonly string[]): string[] {
  return tags.map(tagToVersion).filter((v) => STRICT_SEMVER.test(v));
}

// semver.NewVersion, the lenient parser Helm uses to decide that `--version` is one exact version.
const LENIENT_SEMVER = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** Whether Helm takes `version` as one exact version (a tag to fetch) rather than a constraint to resolve over the tags. */
export function isExactVersion(version: string): boolean {
  const m = LENIENT_SEMVER.exec(version);
  if (!m) return false;
  return !(m[5] ?? '').split('.').some((part) => /^0[0-9]+$/.test(part));
}

/** What a ChartRelease's (or the CLI's) OCI source asks for, after combining url, version and digest. */
export interface OciRequest {
  ref: OciReference;
  /** A version or constraint to resolve over the tags (empty: the newest stable version). */
  version: string;
  /** The manifest digest to pin to: from `digest`, `version: X@sha256:...` or the URL's `@sha256:...`. */
  digest?: string;
}

/**
 * Combines an `oci://` URL with a version (which may carry `@sha256:...`) and a digest field, as one
 * request; conflicting tags or digests are refused (SourceInvalid) rather than one silently winning.
 */
export function ociRequest(url: string, version = '', digest = ''): OciRequest {
  const ref = parseOciReference(url);
  let wanted = version.trim();
  const digests = new Set<string>();
  if (ref.digest) digests.add(ref.digest);
  const at = wanted.indexOf('@');
  if (at >= 0) {
    const d = wanted.slice(at + 1);
    const problem = digestProblem(d);
    if (problem) throw invalid(url, `version ${JSON.stringify(version)}: ${problem}`);
    digests.add(d);
    wanted = wanted.slice(0, at);
  }
  if (digest.trim()) {
    const problem = digestProblem(digest.trim());
    if (problem) throw invalid(url, `digest: ${problem}`);
    digests.add(digest.trim());
  }
  if (digests.size > 1) throw invalid(url, `two different digests are given (${[...digests].join(', ')}): keep one`);
  if (ref.tag !== undefined) {
    const fromUrl = tagToVersion(ref.tag);
    if (wanted && wanted !== fromUrl && wanted !== ref.tag) {
      throw invalid(url, `the URL names tag ${ref.tag} but the version is ${JSON.stringify(wanted)}: keep one of them`);
    }
    wanted = fromUrl;
  }
  const { tag: _tag, digest: _digest, ...base } = ref;
  const [pinned] = [...digests];
  return { ref: base, version: wanted, ...(pinned ? { digest: pinned } : {}) };
}
