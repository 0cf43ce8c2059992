// The Secrets of a revision: Helm's record `sh.helm.release.v1.NAME.vN` (type helm.sh/release.v1,
// labels owner=helm,name,status,version,modifiedAt), our bookkeeping in its annotations, and, for a
// release too large for one Secret, the parts that hold the whole record. Pure.
import { jsonStringify } from '../json/index.js';
import { gzipSync, gunzipSync, constants } from 'node:zlib';
import { decodeRelease, encodeRelease, sha256 } from './codec.js';
import { inferMeta, type Revision } from './history.js';
import type { HelmRelease, ReleaseAction, ReleaseStatus, RevisionMeta } from './types.js';

export const RECORD_TYPE = 'helm.sh/release.v1';
export const PART_TYPE = 'chartrelease.dev/release-part';

const A = 'chartrelease.dev/';
export const ANNOTATION = {
  /** `chartrelease` on records we wrote. Helm rewrites a record without annotations when it changes its status. */
  managedBy: `${A}managed-by`,
  action: `${A}action`,
  rollbackTo: `${A}rollback-to`,
  valuesDigest: `${A}values-digest`,
  manifestDigest: `${A}manifest-digest`,
  /** The chart's digest and source (repository or registry charts only). */
  chartDigest: `${A}chart-digest`,
  chartSource: `${A}chart-source`,
  inputsDigest: `${A}inputs-digest`,
  /** Number of part Secrets holding the whole record (absent: the record is whole). */
  parts: `${A}parts`,
  /** sha256 of the concatenated parts. */
  partsDigest: `${A}parts-digest`,
  /** What was left out of the Helm-visible record to fit, comma-separated (chart.values, manifest, hooks, config, notes). */
  omitted: `${A}omitted`,
} as const;

/** Labels of part Secrets. Never owner=helm: helm lists only its records. */
const PART_LABEL = { release: `${A}release`, revision: `${A}revision` } as const;

/**
 * Kubernetes refuses Secrets whose data exceeds 1 MiB (keys and values together). Keep a margin for the
 * data key.
 */
const MAX_SECRET_DATA_BYTES = 1024 * 1024 - 64;

export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  type: string;
  data: Record<string, string>;
}

export function recordName(releaseName: string, version: number): string {
  return `sh.helm.release.v1.${releaseName}.v${version}`;
}

export function partName(releaseName: string, version: number, index: number): string {
  return `chartrelease.release.v1.${releaseName}.v${version}.part${index}`;
}

/** The label selector of a release's records, as Helm queries them. */
export function recordSelector(releaseName: string): string {
  return `owner=helm,name=${releaseName}`;
}

export function partSelector(releaseName: string, version: number): string {
  return `${PART_LABEL.release}=${releaseName},${PART_LABEL.revision}=${version}`;
}

/** The record is too large even without manifest, hooks, chart values and notes: nothing can store it. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
  readonly retryable = false;
}

export interface RecordSecrets {
  record: SecretObject;
  /** Part Secrets (empty unless the record had to be split); create them before the record. */
  parts: SecretObject[];
  /** What the Helm-visible record leaves out. */
  omitted: string[];
}

function recordLabels(release: HelmRelease, now: Date): Record<string, string> {
  return {
    name: release.name,
    owner: 'helm',
    status: release.info.status,
    version: String(release.version),
    modifiedAt: String(Math.floor(now.getTime() / 1000)),
  };
}

function metaAnnotations(meta: RevisionMeta): Record<string, string> {
  return {
    [ANNOTATION.managedBy]: 'chartrelease',
    [ANNOTATION.action]: meta.action,
    ...(meta.rollbackTo !== undefined ? { [ANNOTATION.rollbackTo]: String(meta.rollbackTo) } : {}),
    [ANNOTATION.valuesDigest]: meta.valuesDigest,
    [ANNOTATION.manifestDigest]: meta.manifestDigest,
    ...(meta.chartDigest ? { [ANNOTATION.chartDigest]: meta.chartDigest } : {}),
    ...(meta.chartSource ? { [ANNOTATION.chartSource]: meta.chartSource } : {}),
    ...(meta.inputsDigest ? { [ANNOTATION.inputsDigest]: meta.inputsDigest } : {}),
  };
}

function recordSecret(release: HelmRelease, encoded: string, annotations: Record<string, string>, now: Date): SecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: recordName(release.name, release.version), namespace: release.namespace, labels: recordLabels(release, now), annotations },
    type: RECORD_TYPE,
    data: { release: Buffer.from(encoded, 'utf8').toString('base64') },
  };
}

/** The manifest Helm sees for a split record: a comment saying where the objects are. */
function splitManifestStub(release: HelmRelease, parts: number): string {
  return (
    `# chartrelease: the manifest of revision ${release.version} (${Buffer.byteLength(release.manifest)} bytes) is stored with the whole record in ` +
    `${parts} Secret(s) ${partName(release.name, release.version, 0).replace(/0$/, '*')}, because the record exceeds the 1 MiB Secret limit.\n`
  );
}

/**
 * The Secrets that store a revision. In order, until the Helm record fits in one Secret:
 * 1. the record as built (chart metadata and default values, user values, manifest, hooks);
 * 2. without the chart's default values;
 * 3. split: the whole record, gzipped, in part Secrets; the Helm record keeps chart metadata, user
 *    values and status, with the manifest replaced by a comment and no hooks (user values and notes
 *    are dropped too if that is still too large).
 */
export function revisionSecrets(revision: Revision, now: Date, maxBytes = MAX_SECRET_DATA_BYTES): RecordSecrets {
  const { release, meta } = revision;
  const annotations = metaAnnotations(meta);
  const encoded = encodeRelease(release);
  if (encoded.length <= maxBytes) return { record: recordSecret(release, encoded, annotations, now), parts: [], omitted: [] };

  const withoutDefaults: HelmRelease = { ...release, chart: { ...release.chart, values: null } };
  const smaller = encodeRelease(withoutDefaults);
  if (smaller.length <= maxBytes) {
    return { record: recordSecret(withoutDefaults, smaller, { ...annotations, [ANNOTATION.omitted]: 'chart.values' }, now), parts: [], omitted: ['chart.values'] };
  }

  const whole = gzipSync(Buffer.from(jsonStringify(release), 'utf8'), { level: constants.Z_BEST_COMPRESSION });
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += maxBytes) chunks.push(whole.subarray(at, at + maxBytes));
  const parts: SecretObject[] = chunks.map((chunk, index) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: partName(release.name, release.version, index),
      namespace: release.namespace,
      labels: { [PART_LABEL.release]: release.name, [PART_LABEL.revision]: String(release.version) },
    },
    type: PART_TYPE,
    data: { part: chunk.toString('base64') },
  }));
  const partAnnotations = { ...annotations, [ANNOTATION.parts]: String(parts.length), [ANNOTATION.partsDigest]: sha256(whole) };
  const stub: HelmRelease = { ...withoutDefaults, manifest: splitManifestStub(release, parts.length), hooks: [] };
  const attempts: [HelmRelease, string[]][] = [
    [stub, ['chart.values', 'manifest', 'hooks']],
    [{ ...stub, config: {} }, ['chart.values', 'manifest', 'hooks', 'config']],
    [{ ...stub, config: {}, info: { ...stub.info, notes: '' } }, ['chart.values', 'manifest', 'hooks', 'config', 'notes']],
  ];
  for (const [visible, omitted] of attempts) {
    const text = encodeRelease(visible);
    if (text.length <= maxBytes) return { record: recordSecret(visible, text, { ...partAnnotations, [ANNOTATION.omitted]: omitted.join(',') }, now), parts, omitted };
  }
  throw new RecordTooLargeError(`the record of ${release.name} revision ${release.version} does not fit in a Secret even without manifest, hooks and values`);
}

/** A record as read from its Secret: the release (possibly the Helm-visible part of a split one), our meta, the Secret's version. */
export interface StoredRecord extends Revision {
  resourceVersion: string;
  /** Written by chartrelease (false: by helm, or rewritten by helm since). */
  managedByUs: boolean;
  /** Number of part Secrets that hold the whole record; 0 when the record is whole. */
  parts: number;
  partsDigest?: string;
  omitted: string[];
  /** The record Secret's own labels and annotations (who else marked it: src/ownership's owner). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface SecretLike {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  type?: string;
  data?: Record<string, string>;
}

/** Reads a record Secret (ours or Helm's). Meta comes from our annotations, or is inferred for Helm's records. */
export function recordFromSecret(secret: SecretLike): StoredRecord {
  const data = secret.data?.release;
  if (!data) throw new Error(`Secret ${secret.metadata?.name} has no data.release`);
  return storedRecord(secret, decodeRelease(Buffer.from(data, 'base64').toString('utf8')));
}

/** A record from its Secret's metadata and the release it holds, already known (a record just written). */
export function storedRecord(secret: SecretLike, release: HelmRelease): StoredRecord {
  const ann = secret.metadata?.annotations ?? {};
  const inferred = inferMeta(release);
  const action = ann[ANNOTATION.action] as ReleaseAction | undefined;
  const meta: RevisionMeta = action
    ? {
        action,
        ...(ann[ANNOTATION.rollbackTo] ? { rollbackTo: Number(ann[ANNOTATION.rollbackTo]) } : {}),
        valuesDigest: ann[ANNOTATION.valuesDigest] ?? inferred.valuesDigest,
        manifestDigest: ann[ANNOTATION.manifestDigest] ?? inferred.manifestDigest,
        ...(ann[ANNOTATION.chartDigest] ? { chartDigest: ann[ANNOTATION.chartDigest] } : {}),
        ...(ann[ANNOTATION.chartSource] ? { chartSource: ann[ANNOTATION.chartSource] } : {}),
        ...(ann[ANNOTATION.inputsDigest] ? { inputsDigest: ann[ANNOTATION.inputsDigest] } : {}),
      }
    : inferred;
  return {
    release,
    meta,
    resourceVersion: secret.metadata?.resourceVersion ?? '',
    managedByUs: ann[ANNOTATION.managedBy] === 'chartrelease',
    parts: Number(ann[ANNOTATION.parts] ?? 0),
    ...(ann[ANNOTATION.partsDigest] ? { partsDigest: ann[ANNOTATION.partsDigest] } : {}),
    omitted: ann[ANNOTATION.omitted] ? ann[ANNOTATION.omitted].split(',') : [],
    labels: { ...(secret.metadata?.labels ?? {}) },
    annotations: { ...ann },
  };
}

/** The whole release from the part Secrets of a split record (ordered by their index), checked against the digest. */
export function releaseFromParts(record: StoredRecord, parts: readonly SecretLike[]): HelmRelease {
  const byIndex = new Map<number, Buffer>();
  for (const p of parts) {
    const index = Number(/\.part(\d+)$/.exec(p.metadata?.name ?? '')?.[1]);
    if (Number.isInteger(index) && p.data?.part) byIndex.set(index, Buffer.from(p.data.part, 'base64'));
  }
  const chunks: Buffer[] = [];
  for (let i = 0; i < record.parts; i++) {
    const chunk = byIndex.get(i);
    if (!chunk) throw new Error(`revision ${record.release.version} of ${record.release.name}: part ${i} of ${record.parts} is missing`);
    chunks.push(chunk);
  }
  const whole = Buffer.concat(chunks);
  if (record.partsDigest && sha256(whole) !== record.partsDigest) throw new Error(`revision ${record.release.version} of ${record.release.name}: its parts do not match the recorded digest`);
  const release = JSON.parse(gunzipSync(whole).toString('utf8')) as HelmRelease;
  // The status lives in the visible record (setStatus rewrites only that one).
  const { status, description, deleted } = record.release.info;
  release.info = { ...release.info, status, ...(description !== undefined ? { description } : {}), ...(deleted !== undefined ? { deleted } : {}) };
  return release;
}

/** The record Secret with a new status (label and info.status), keeping everything else Helm or we wrote. */
export function withStatus(secret: SecretObject, record: StoredRecord, status: ReleaseStatus, now: Date, description?: string): SecretObject {
  const release: HelmRelease = {
    ...record.release,
    info: { ...record.release.info, status, ...(description !== undefined ? { description } : {}), ...(status === 'uninstalled' ? { deleted: now.toISOString() } : {}) },
  };
  return {
    ...secret,
    metadata: { ...secret.metadata, labels: { ...secret.metadata.labels, status, modifiedAt: String(Math.floor(now.getTime() / 1000)) } },
    data: { ...secret.data, release: Buffer.from(encodeRelease(release), 'utf8').toString('base64') },
  };
}
