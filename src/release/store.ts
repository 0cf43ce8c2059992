// RevisionStore: a release's revision records as Secrets in its namespace, in Helm's storage format,
// so helm's own commands see them and records `helm install` wrote are read (and continued) by us.
import { isAlreadyExists, isNotFound, type KubeClient } from '../kube/index.js';
import { redact } from '../redact/index.js';
import { nextRevision, versionsToPrune, versionsToSupersede, type Revision } from './history.js';
import {
  RECORD_TYPE,
  partSelector,
  recordFromSecret,
  recordName,
  recordSelector,
  releaseFromParts,
  storedRecord,
  revisionSecrets,
  withStatus,
  type SecretObject,
  type StoredRecord,
} from './secret.js';
import type { ReleaseStatus } from './types.js';

/** Another writer created this revision first (two writers racing, or a helm command meanwhile). Retryable: read again. */
export class RevisionExistsError extends Error {
  override readonly name = 'RevisionExistsError';
  readonly retryable = true;
  constructor(
    readonly releaseName: string,
    readonly version: number,
  ) {
    super(`revision ${version} of release ${releaseName} already exists`);
  }
}

export interface RevisionStoreOptions {
  /** The clock for modifiedAt and timestamps; default the system clock. */
  now?: () => Date;
  /** Largest data of one Secret, for tests of the split path; default just under 1 MiB. */
  maxSecretBytes?: number;
  /** Labels and annotations every record this store creates carries (the owner, see src/ownership/). */
  recordMetadata?: RecordMetadata;
}

/** Extra labels and annotations of a record Secret. Labels survive Helm rewriting the record (it keeps custom labels); annotations do not. */
export interface RecordMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function withMetadata(secret: SecretObject, extra: RecordMetadata | undefined): SecretObject {
  if (!extra) return secret;
  return {
    ...secret,
    metadata: {
      ...secret.metadata,
      labels: { ...(extra.labels ?? {}), ...secret.metadata.labels },
      annotations: { ...(secret.metadata.annotations ?? {}), ...(extra.annotations ?? {}) },
    },
  };
}

export class RevisionStore {
  private readonly now: () => Date;
  private readonly secretsPath: string;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    readonly releaseName: string,
    private readonly opts: RevisionStoreOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.secretsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  }

  /**
   * Every record of the release, oldest first. Split records come as their Helm-visible part (manifest
   * replaced by a comment; meta digests are those of the whole record): use get() for the whole one.
   */
  async list(signal?: AbortSignal): Promise<StoredRecord[]> {
    const { items } = await this.client.list<SecretObject>(this.secretsPath, { labelSelector: recordSelector(this.releaseName), signal });
    return items
      .filter((s) => s.type === RECORD_TYPE)
      .map((s) => recordFromSecret(s))
      .sort((a, b) => a.release.version - b.release.version);
  }

  /** One revision, whole (split records reassembled); null if there is no record. */
  async get(version: number, signal?: AbortSignal): Promise<StoredRecord | null> {
    const secret = await this.getSecret(version, signal);
    if (!secret) return null;
    const record = recordFromSecret(secret);
    if (record.parts === 0) return record;
    const { items } = await this.client.list<SecretObject>(this.secretsPath, { labelSelector: partSelector(this.releaseName, version), signal });
    return { ...record, release: releaseFromParts(record, items) };
  }

  /** The next revision number: one more than the highest recorded (or than `floor`, a number known to be used). */
  async nextVersion(floor = 0, signal?: AbortSignal): Promise<number> {
    return nextRevision((await this.list(signal)).map((r) => r.release.version), floor);
  }

  /**
   * Writes a new revision (parts first, then the record, which makes it visible). Throws
   * RevisionExistsError if that version exists, RecordTooLargeError if it cannot be stored at all.
   */
  async create(revision: Revision, signal?: AbortSignal): Promise<StoredRecord> {
    if (revision.release.name !== this.releaseName || revision.release.namespace !== this.namespace) {
      throw new Error(`revision of ${revision.release.namespace}/${revision.release.name} does not belong to store ${this.namespace}/${this.releaseName}`);
    }
    const { record: bare, parts } = revisionSecrets(revision, this.now(), this.opts.maxSecretBytes);
    const record = withMetadata(bare, this.opts.recordMetadata);
    for (const part of parts) {
      try {
        await this.client.create(this.secretsPath, part, { signal });
      } catch (err) {
        // Left over from an attempt that failed before its record was written: replace it.
        if (!isAlreadyExists(err)) throw err;
        await this.client.replace(`${this.secretsPath}/${encodeURIComponent(part.metadata.name)}`, part, { signal });
      }
    }
    let created: SecretObject;
    try {
      // The answer's metadata is all that is new: the release is the one just encoded, not decoded again.
      created = await this.client.create<SecretObject>(this.secretsPath, record, { signal, metadataOnly: true });
    } catch (err) {
      if (isAlreadyExists(err)) throw new RevisionExistsError(this.releaseName, revision.release.version);
      throw err;
    }
    return storedRecord(created, revision.release);
  }

  /** Sets a revision's status (and description), as Helm does when a revision is deployed, superseded or failed. */
  async setStatus(version: number, status: ReleaseStatus, description?: string, signal?: AbortSignal): Promise<StoredRecord> {
    const secret = await this.getSecret(version, signal);
    if (!secret) throw new Error(`revision ${version} of release ${this.releaseName} has no record`);
    // Descriptions carry failure messages: redacted on their way into the record (src/redact/).
    const updated = withStatus(secret, recordFromSecret(secret), status, this.now(), description === undefined ? undefined : redact(description));
    return recordFromSecret(await this.client.replace<SecretObject>(`${this.secretsPath}/${encodeURIComponent(secret.metadata.name)}`, updated, { signal }));
  }

  /**
   * Adds labels and annotations to an existing record, only if it is still at `resourceVersion`
   * (a 409 Conflict otherwise: someone wrote it since, read again).
   */
  async stamp(version: number, metadata: RecordMetadata, resourceVersion: string, signal?: AbortSignal): Promise<void> {
    const secret = await this.getSecret(version, signal);
    if (!secret) throw new Error(`revision ${version} of release ${this.releaseName} has no record`);
    const stamped = withMetadata({ ...secret, metadata: { ...secret.metadata, resourceVersion } }, metadata);
    await this.client.replace(`${this.secretsPath}/${encodeURIComponent(secret.metadata.name)}`, stamped, { signal });
  }

  /**
   * Marks `deployed` as deployed (with `description`, if given) and every other deployed revision
   * superseded. The others go first: at no instant are two records deployed (a crash in between
   * leaves none deployed, and the pending one is resumed).
   */
  async markDeployed(deployed: number, signal?: AbortSignal, description?: string): Promise<StoredRecord[]> {
    const records = await this.list(signal);
    const written = new Map<number, StoredRecord>();
    for (const version of versionsToSupersede(records, deployed)) written.set(version, await this.setStatus(version, 'superseded', undefined, signal));
    const current = records.find((r) => r.release.version === deployed);
    if (current && (current.release.info.status !== 'deployed' || (description !== undefined && current.release.info.description !== description))) {
      written.set(deployed, await this.setStatus(deployed, 'deployed', description, signal));
    }
    // Every record as it is now (the list, with what was just written): callers need not list again.
    return records.map((r) => written.get(r.release.version) ?? r);
  }

  /**
   * Deletes the oldest records beyond historyLimit (never the deployed one); returns the versions
   * deleted. `records`: the release's records as just read or written (markDeployed's answer); listed when absent.
   */
  async prune(historyLimit: number, signal?: AbortSignal, records?: readonly StoredRecord[]): Promise<number[]> {
    const versions = versionsToPrune(records ?? (await this.list(signal)), historyLimit);
    for (const version of versions) await this.delete(version, signal);
    return versions;
  }

  /** Deletes one revision: its record, then its parts. */
  async delete(version: number, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.delete(`${this.secretsPath}/${encodeURIComponent(recordName(this.releaseName, version))}`, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const { items } = await this.client.list<SecretObject>(this.secretsPath, { labelSelector: partSelector(this.releaseName, version), signal });
    for (const part of items) {
      try {
        await this.client.delete(`${this.secretsPath}/${encodeURIComponent(part.metadata.name)}`, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Deletes every record of the release (the last step of an uninstall). */
  async deleteAll(signal?: AbortSignal): Promise<void> {
    for (const record of await this.list(signal)) await this.delete(record.release.version, signal);
  }

  private async getSecret(version: number, signal?: AbortSignal): Promise<SecretObject | null> {
    try {
      return await this.client.get<SecretObject>(`${this.secretsPath}/${encodeURIComponent(recordName(this.releaseName, version))}`, { signal });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}
