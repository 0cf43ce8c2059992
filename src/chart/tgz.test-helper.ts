// Test helper (not used by the operator): a ustar archive builder, plain or gzipped, for the tests of
// chart archives here (load.test.ts), the hostile-archive tests (test/sandbox/) and the fuzz suite.
// Entries may lie about their size or carry link types, so readers can be fed malformed archives.
import { gzipSync } from 'node:zlib';

export interface TarInput {
  name: string;
  data?: string | Buffer;
  type?: string;
  link?: string;
  /** The size the header claims (default: the data's). */
  size?: number;
}

export function tar(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' || e.data === undefined ? Buffer.from(e.data ?? '') : e.data;
    const h = Buffer.alloc(512);
    h.write(e.name.slice(0, 100), 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write((e.size ?? data.length).toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write(e.type ?? '0', 156);
    if (e.link) h.write(e.link, 157);
    h.write('ustar\u000000', 257, 'latin1');
    h.fill(32, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const tgz = (entries: readonly TarInput[]): Buffer => gzipSync(tar(entries));
