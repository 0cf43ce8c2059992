// A small, safe reader for gzipped tar archives (ustar, pax extended headers, GNU long names), enough
// for Helm chart packages. It only parses: it never touches the file system, so a hostile archive can
// at worst produce entries with hostile names, which the chart loader rejects.
import { createRequire } from 'node:module';

// node:zlib is loaded with the first archive: a chart directory does not need it.
let zlib: typeof import('node:zlib') | undefined;
const gunzipSync: typeof import('node:zlib').gunzipSync = (buf, options) => (zlib ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib')).gunzipSync(buf, options);

export interface TarEntry {
  /** Path as recorded in the archive (pax `path` or GNU long name applied). */
  name: string;
  /** '0' regular file, '5' directory, '2' symlink, '1' hard link, ... (the ustar type flag). */
  type: string;
  /** A directory entry (type '5', a directory mode, or an old-style entry whose name ends in '/'). */
  isDir: boolean;
  /** Size from the header (pax `size` applied). */
  size: number;
  data: Buffer;
}

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

const BLOCK = 512;

/** Limits on what gunzip may produce, so a small archive cannot expand into gigabytes in memory. */
export interface GunzipLimits {
  /** What is left of the chart's byte budget. */
  maxOutputBytes: number;
  /** The limit as the error names it (the whole budget). */
  limitText?: number;
}

export function gunzipArchive(gz: Uint8Array, limits: GunzipLimits): Buffer {
  if (gz.length < 3 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 0x08) throw new ArchiveError('gzip: invalid header');
  try {
    // Tar framing (headers, padding) adds to the file sizes: allow some slack over the chart limit.
    return gunzipSync(gz, { maxOutputLength: limits.maxOutputBytes + 16 * 1024 * 1024 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || (err as Error).message.includes('Cannot create a Buffer larger')) {
      throw new ArchiveError(`decompressed chart is larger than the maximum size ${limits.limitText ?? limits.maxOutputBytes}`);
    }
    throw new ArchiveError(`gzip: ${(err as Error).message}`);
  }
}

function cString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

function octal(buf: Buffer, start: number, length: number, what: string): number {
  // GNU base-256 encoding for large values.
  if (buf[start]! & 0x80) {
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + buf[start + i]!;
    return n;
  }
  const text = cString(buf, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(`archive/tar: invalid ${what} field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const recorded = octal(header, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === recorded;
}

/** Parses pax extended header records (`LEN key=value\n`). */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(data.toString('utf8', at, space));
    if (!Number.isInteger(len) || len <= 0 || at + len > data.length) throw new ArchiveError('archive/tar: invalid pax header');
    const record = data.toString('utf8', space + 1, at + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

/** Reads every entry of an uncompressed tar stream. */
export function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(header)) throw new ArchiveError('archive/tar: invalid header checksum');
    const rawType = header[156]!;
    const type = String.fromCharCode(rawType || 0x30);
    const mode = octal(header, 100, 8, 'mode');
    let size = octal(header, 124, 12, 'size');
    const magic = header.toString('latin1', 257, 263);
    let name = cString(header, 0, 100);
    if (magic.startsWith('ustar')) {
      const prefix = cString(header, 345, 155);
      if (prefix && magic === 'ustar\u0000') name = `${prefix}/${name}`;
    }
    if (pax?.has('size')) size = Number(pax.get('size'));
    const dataStart = at + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || dataStart + size > tar.length) throw new ArchiveError('archive/tar: unexpected EOF');
    const data = tar.subarray(dataStart, dataStart + size);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    switch (type) {
      case 'x': // pax header for the next entry
        pax = paxRecords(data);
        continue;
      case 'g': // pax global header: applies to the archive, carries no file
        entries.push({ name, type, isDir: false, size, data: Buffer.from(data) });
        continue;
      case 'L': // GNU long name for the next entry
        longName = cString(data, 0, data.length);
        continue;
      case 'K': // GNU long link name: not needed
        continue;
    }
    if (longName !== undefined) name = longName;
    if (pax?.has('path')) name = pax.get('path')!;
    const isDir = type === '5' || (mode & 0o170000) === 0o040000 || (rawType === 0 && name.endsWith('/'));
    entries.push({ name, type, isDir, size, data: Buffer.from(data) });
    longName = undefined;
    pax = undefined;
  }
  return entries;
}
