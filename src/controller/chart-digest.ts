// The identity of a chart named by path (spec.chart.path): sha256 over its files' names and contents.
// Hashing every file on every reconcile is I/O on the hot path (1,000 releases of one chart read it
// 1,000 times per resync), so the digest is kept per path with a signature of the files' names,
// sizes, modification and change times and inode numbers (readdir and stat only); the contents are
// hashed again only when the signature differs. A file rewritten in place with the same size within
// the file system's timestamp resolution (nanoseconds where the file system records them) would go
// unnoticed; an edit through any editor, `cp`, `git checkout` or a ConfigMap volume update changes
// mtime, ctime or the inode. A survey is itself reused for a second (REUSE_MS): 1,000 releases of a
// chart installed together stat its files about once a second instead of once per release (the
// stats were 4 % of the operator thread's CPU at 300 releases); an edit is seen by every reconcile
// that starts a second after it.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface PathDigest {
  /** "sha256:<hex>" over the names and contents of the files (or of the file, for a .tgz path). */
  digest: string;
  /** Total size of the files (what a loaded copy costs, roughly). */
  bytes: number;
}

interface FileStat {
  rel: string;
  abs: string;
  size: number;
}

/** The files under `path` (sorted as the digest reads them) and their signature. */
async function survey(path: string): Promise<{ files: FileStat[]; signature: string }> {
  const files: FileStat[] = [];
  const sig: string[] = [];
  const note = (rel: string, abs: string, st: Awaited<ReturnType<typeof statBig>>) => {
    files.push({ rel, abs, size: Number(st.size) });
    sig.push(`${rel}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}`);
  };
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      const p = join(abs, name);
      const st = await statBig(p);
      if (st.isDirectory()) await walk(p, `${rel}${name}/`);
      else if (st.isFile()) note(`${rel}${name}`, p, st);
    }
  };
  const st = await statBig(path);
  if (st.isDirectory()) await walk(path, '');
  else note('', path, st);
  return { files, signature: sig.join('\n') };
}

const statBig = (p: string) => stat(p, { bigint: true });

async function hashFiles(files: readonly FileStat[], directory: boolean): Promise<string> {
  const hash = createHash('sha256');
  for (const f of files) {
    if (directory) hash.update(`${f.rel}\0${f.size}\0`);
    hash.update(await readFile(f.abs));
  }
  return `sha256:${hash.digest('hex')}`;
}

const MAX_PATHS = 256;

/** How long a survey of a path's files stands for them (milliseconds). */
export const REUSE_MS = 1000;

export interface PathDigestsOptions {
  /** How long a survey is reused (default REUSE_MS; 0: every digest surveys the files). */
  reuseMs?: number;
  /** The clock, in milliseconds (default performance.now). */
  now?: () => number;
}

/** Digests of chart paths, hashed again only when a file's size, times or inode changed. */
export class PathDigests {
  private readonly known = new Map<string, { signature: string; surveyedAt: number } & PathDigest>();
  /** Digests under way: releases of one chart reconciled together share one survey. */
  private readonly running = new Map<string, Promise<PathDigest>>();
  private readonly reuseMs: number;
  private readonly now: () => number;

  constructor(opts: PathDigestsOptions = {}) {
    this.reuseMs = opts.reuseMs ?? REUSE_MS;
    this.now = opts.now ?? (() => performance.now());
  }

  digest(path: string): Promise<PathDigest> {
    const recent = this.known.get(path);
    if (recent && this.now() - recent.surveyedAt < this.reuseMs) return Promise.resolve({ digest: recent.digest, bytes: recent.bytes });
    let p = this.running.get(path);
    if (!p) {
      p = this.compute(path).finally(() => this.running.delete(path));
      this.running.set(path, p);
    }
    return p;
  }

  private async compute(path: string): Promise<PathDigest> {
    // The time the survey starts: an edit after it may be missed by it, so it counts from here.
    const surveyedAt = this.now();
    const { files, signature } = await survey(path);
    const hit = this.known.get(path);
    if (hit?.signature === signature) {
      hit.surveyedAt = surveyedAt;
      this.known.delete(path);
      this.known.set(path, hit);
      return { digest: hit.digest, bytes: hit.bytes };
    }
    const directory = !(files.length === 1 && files[0]!.rel === '');
    const entry = { signature, surveyedAt, digest: await hashFiles(files, directory), bytes: files.reduce((n, f) => n + f.size, 0) };
    this.known.delete(path);
    this.known.set(path, entry);
    for (const k of this.known.keys()) {
      if (this.known.size <= MAX_PATHS) break;
      this.known.delete(k);
    }
    return { digest: entry.digest, bytes: entry.bytes };
  }
}
