// Helm's release encoding (pkg/storage/driver/util.go): JSON, gzip, base64. The Secret driver puts the
// resulting base64 text in data.release, which Kubernetes base64-encodes once more on the wire.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { canonicalJson, jsonStringify } from '../json/index.js';
import type { HelmRelease } from './types.js';

export { canonicalJson };

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** The text Helm stores for a release: base64(gzip(json)), best compression as Helm uses. */
export function encodeRelease(release: HelmRelease): string {
  return gzipSync(Buffer.from(jsonStringify(release), 'utf8'), { level: constants.Z_BEST_COMPRESSION }).toString('base64');
}

/** Thrown for a record that is not a Helm release (bad base64, bad gzip, bad JSON, no name/version). */
export class ReleaseDecodeError extends Error {
  override readonly name = 'ReleaseDecodeError';
}

/** Decodes what encodeRelease (or Helm) wrote; plain JSON without gzip is accepted, as Helm does. */
export function decodeRelease(encoded: string): HelmRelease {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) throw new ReleaseDecodeError('empty release record');
  let json: Buffer;
  try {
    json = GZIP_MAGIC.every((b, i) => bytes[i] === b) ? gunzipSync(bytes) : bytes;
  } catch (err) {
    throw new ReleaseDecodeError(`release record is not valid gzip: ${(err as Error).message}`);
  }
  let release: HelmRelease;
  try {
    release = JSON.parse(json.toString('utf8')) as HelmRelease;
  } catch (err) {
    throw new ReleaseDecodeError(`release record is not JSON: ${(err as Error).message}`);
  }
  if (!release || typeof release !== 'object' || typeof release.name !== 'string' || typeof release.version !== 'number') {
    throw new ReleaseDecodeError('release record has no name or version');
  }
  return release;
}

export function sha256(data: string | Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

/** Digest of values: independent of key order; `{}` and null are the same (no values). */
export function valuesDigest(values: Record<string, unknown> | null | undefined): string {
  return sha256(canonicalJson(values ?? {}));
}

export function manifestDigest(manifest: string): string {
  return sha256(manifest);
}
