// What OCI fetches share, per registry repository and credentials (as the HTTP repository source
// shares its index per repository): the Bearer token of the distribution token flow until it expires,
// and the repository's tag list for a short time, so releases that follow a version range of the same
// repository ask for a token and list the tags once between them instead of once each at every resync.
// Releases asking at the same moment share one request (single flight); what failed is not kept.
// Pure bookkeeping: the requests themselves are the caller's (oci.ts), so this is tested without I/O.
import { SingleFlight } from './cache.js';

/** The distribution token spec's lifetime of a token whose answer has no `expires_in`. */
export const DEFAULT_TOKEN_EXPIRES_IN_S = 60;
/** The longest a tag list is reused: a version pushed is seen at most this much later than without sharing. */
export const TAG_LIST_MAX_AGE_MS = 30_000;
/** Repositories (x credentials) remembered at most; the oldest entry goes first. */
const MAX_ENTRIES = 1024;

export interface FetchedToken {
  token: string;
  /** The answer's `expires_in` (seconds), if it had a usable one. */
  expiresInS?: number;
}

/** How long a token asked for at `requestedAt` is used: its lifetime less a margin (5 s, or a tenth of a short lifetime), so no request leaves with a token about to expire. */
export function tokenUsableUntil(requestedAt: number, expiresInS: number | undefined): number {
  const lifetimeMs = (expiresInS !== undefined && Number.isFinite(expiresInS) && expiresInS > 0 ? expiresInS : DEFAULT_TOKEN_EXPIRES_IN_S) * 1000;
  return requestedAt + lifetimeMs - Math.min(5_000, lifetimeMs / 10);
}

export class OciRegistryCache {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly tokenFlights = new SingleFlight<string>();
  private readonly tagLists = new Map<string, { readAt: number; tags: string[] }>();
  private readonly tagFlights = new SingleFlight<string[]>();
  /** Token requests and tag list reads actually made (tests, metrics). */
  tokenRequests = 0;
  tagListReads = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A token for `key` still usable now, if one is held. */
  heldToken(key: string): string | undefined {
    const held = this.tokens.get(key);
    if (held && this.now() < held.until) return held.token;
    if (held) this.tokens.delete(key);
    return undefined;
  }

  /** A usable token for `key`: the held one, else one from `request` (shared by everyone asking meanwhile). */
  async token(key: string, request: () => Promise<FetchedToken>): Promise<string> {
    const held = this.heldToken(key);
    if (held !== undefined) return held;
    return this.tokenFlights.run(key, async () => {
      const requestedAt = this.now();
      const got = await request();
      this.tokenRequests++;
      remember(this.tokens, key, { token: got.token, until: tokenUsableUntil(requestedAt, got.expiresInS) });
      return got.token;
    });
  }

  /** The registry refused `token` (expired early, revoked): forget it, unless a newer one replaced it meanwhile. */
  rejectToken(key: string, token: string): void {
    if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }

  /** The tag list of `key`: one read less than `maxAgeMs` (at most TAG_LIST_MAX_AGE_MS) ago, else a read by `list` shared by everyone asking meanwhile. */
  async tags(key: string, maxAgeMs: number, list: () => Promise<string[]>): Promise<string[]> {
    const held = this.tagLists.get(key);
    if (held && this.now() - held.readAt < Math.min(maxAgeMs, TAG_LIST_MAX_AGE_MS)) return held.tags;
    return this.tagFlights.run(key, async () => {
      const readAt = this.now();
      const tags = await list();
      this.tagListReads++;
      remember(this.tagLists, key, { readAt, tags });
      for (const [k, v] of this.tagLists) if (this.now() - v.readAt >= TAG_LIST_MAX_AGE_MS) this.tagLists.delete(k);
      return tags;
    });
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond MAX_ENTRIES. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
}
