// Sprig's encodings and checksums: base64/base32 (Go's std encodings, whose decode errors Sprig
// returns as the result text), sha1/sha256/sha512 and adler32 of the string's bytes.
import { createHash } from 'node:crypto';
import { goStringFromBytes, goStringToBytes, type FuncMap } from '../value.js';
import { goFunc } from './signature.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class CorruptInput extends Error {}
const corrupt = (kind: string, at: number) => new CorruptInput(`illegal ${kind} data at input byte ${at}`);

/** base64.StdEncoding.DecodeString, with Go's error offsets (CR and LF are skipped). */
export function base64Decode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let si = 0;
  const isNewline = (b: number | undefined) => b === 0x0a || b === 0x0d;
  for (;;) {
    const quad: number[] = [];
    let dlen = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        throw corrupt('base64', si - j);
      }
      const b = src[si++]!;
      const v = BASE64.indexOf(String.fromCharCode(b));
      if (b < 0x80 && v >= 0) {
        quad.push(v);
        continue;
      }
      if (isNewline(b)) {
        j--;
        continue;
      }
      if (b !== 0x3d) throw corrupt('base64', si - 1);
      if (j < 2) throw corrupt('base64', si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) throw corrupt('base64', src.length);
        if (src[si] !== 0x3d) throw corrupt('base64', si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    while (quad.length < 4) quad.push(0);
    const val = (quad[0]! << 18) | (quad[1]! << 12) | (quad[2]! << 6) | quad[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing !== undefined) throw corrupt('base64', trailing);
    if (dlen < 4) return Uint8Array.from(out);
  }
}

function base64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) out += k < chars ? BASE32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
  }
  return out;
}

/** base32.StdEncoding.DecodeString (newlines stripped first, as Go does), with Go's error offsets. */
function base32Decode(input: Uint8Array): Uint8Array {
  const src = input.filter((b) => b !== 0x0a && b !== 0x0d);
  const out: number[] = [];
  const olen = src.length;
  let p = 0;
  let end = false;
  while (p < src.length && !end) {
    const dbuf: number[] = [];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === src.length) throw corrupt('base32', olen - (src.length - p) - j);
      const b = src[p++]!;
      const left = src.length - p;
      if (b === 0x3d && j >= 2 && left < 8) {
        if (left + j < 7) throw corrupt('base32', olen);
        for (let k = 0; k < 7 - j; k++) if (left > k && src[p + k] !== 0x3d) throw corrupt('base32', olen - left + k - 1);
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw corrupt('base32', olen - left - 1);
        break;
      }
      const v = b < 0x80 ? BASE32.indexOf(String.fromCharCode(b)) : -1;
      if (v < 0) throw corrupt('base32', olen - left - 1);
      dbuf[j++] = v;
    }
    while (dbuf.length < 8) dbuf.push(0);
    let bits = 0n;
    for (const v of dbuf) bits = (bits << 5n) | BigInt(v);
    const bytes = [...Array(5)].map((_, k) => Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
    const n = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    out.push(...bytes.slice(0, n));
  }
  return Uint8Array.from(out);
}

function decodeOrMessage(decode: (b: Uint8Array) => Uint8Array, s: string): string {
  try {
    return goStringFromBytes(decode(goStringToBytes(s)));
  } catch (e) {
    if (e instanceof CorruptInput) return e.message;
    throw e;
  }
}

const digest = (alg: string) => (s: string) => createHash(alg).update(goStringToBytes(s)).digest('hex');

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of goStringToBytes(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

export const encodingFuncs: FuncMap = {
  b64enc: goFunc('(v string) string', (s: string) => base64Encode(goStringToBytes(s))),
  b64dec: goFunc('(v string) string', (s: string) => decodeOrMessage(base64Decode, s)),
  b32enc: goFunc('(v string) string', (s: string) => base32Encode(goStringToBytes(s))),
  b32dec: goFunc('(v string) string', (s: string) => decodeOrMessage(base32Decode, s)),
  sha1sum: goFunc('(input string) string', digest('sha1')),
  sha256sum: goFunc('(input string) string', digest('sha256')),
  sha512sum: goFunc('(input string) string', digest('sha512')),
  adler32sum: goFunc('(input string) string', adler32),
};
