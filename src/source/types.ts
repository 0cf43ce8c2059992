// The contract between chart sources (Helm HTTP repositories, OCI registries) and their callers.

/** Credentials and TLS settings, from a ChartRelease's secretRef or the CLI's flags. Never logged. */
export interface SourceAuth {
  username?: string;
  password?: string;
  /** A bearer token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** PEM text: a custom CA (ca.crt), and a client certificate with its key (tls.crt, tls.key). */
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  /** OCI only: the `.dockerconfigjson` of a kubernetes.io/dockerconfigjson Secret. */
  dockerConfigJson?: string;
  insecureSkipTLSVerify?: boolean;
}

/** A chart archive, fetched and verified against the digest its source gave. */
export interface FetchedChart {
  /** The chart's name and the exact version resolved. */
  name: string;
  version: string;
  /** "sha256:<hex>": the archive's digest (repository) or the manifest's digest (OCI). */
  digest: string;
  /** Where it came from, never with credentials: the archive URL, or oci://host/repo:tag@digest. */
  source: string;
  /** The packaged chart (.tgz). */
  archive: Buffer;
}

/** Why a fetch failed, in words a user can act on; `retryable` for network and server errors. */
export class ChartSourceError extends Error {
  constructor(
    readonly reason: 'SourceUnreachable' | 'SourceAuthFailed' | 'VersionNotFound' | 'DigestMismatch' | 'ArchiveInvalid' | 'SourceInvalid',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChartSourceError';
  }
}
