// The ASN.1 DER needed to write X.509 certificates and private keys, and to read back the few
// parts of a certificate or key that certificate signing needs.

export type Der = Uint8Array;

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tag: number, content: Uint8Array | number[]): Der {
  const body = content instanceof Uint8Array ? content : Uint8Array.from(content);
  return Buffer.concat([Uint8Array.from([tag, ...length(body.length)]), body]);
}

export const sequence = (...items: Der[]) => tlv(0x30, Buffer.concat(items));
export const set = (...items: Der[]) => tlv(0x31, Buffer.concat(items));
export const explicit = (n: number, item: Der) => tlv(0xa0 + n, item);
export const octetString = (b: Uint8Array) => tlv(0x04, b);
export const bool = (b: boolean) => tlv(0x01, [b ? 0xff : 0]);
export const nullValue = () => tlv(0x05, []);

/** INTEGER from a non-negative or negative bigint (two's complement, minimal). */
export function integer(v: bigint): Der {
  const bytes: number[] = [];
  let x = v;
  do {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (!(x === 0n && (bytes[0]! & 0x80) === 0) && !(x === -1n && (bytes[0]! & 0x80) !== 0));
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, out);
}

/** BIT STRING with the given number of unused trailing bits. */
export const bitString = (b: Uint8Array, unused = 0) => tlv(0x03, Buffer.concat([Uint8Array.from([unused]), b]));

/** A string as Go's encoding/asn1 marshals it: PrintableString when possible, else UTF8String. */
export function goAsn1String(s: string): Der {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime for 1950-2049, GeneralizedTime otherwise (as Go writes certificate validity). */
export function time(d: Date): Der {
  const y = d.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${p(y % 100)}${rest}`));
  return tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`));
}

/** A parsed TLV: tag, content, and the whole encoding. */
export interface Node {
  tag: number;
  content: Uint8Array;
  raw: Uint8Array;
}

/** Reads the TLVs at the top level of `b`. Throws on malformed input. */
export function readAll(b: Uint8Array): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < b.length) {
    const tag = b[i]!;
    let len = b[i + 1];
    if (len === undefined) throw new Error('asn1: truncated');
    let hdr = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + b[i + 2 + k]!;
      hdr += n;
    }
    if (i + hdr + len > b.length) throw new Error('asn1: truncated');
    out.push({ tag, content: b.subarray(i + hdr, i + hdr + len), raw: b.subarray(i, i + hdr + len) });
    i += hdr + len;
  }
  return out;
}

export const children = (n: Node) => readAll(n.content);

export function integerValue(n: Node): bigint {
  const hex = Buffer.from(n.content).toString('hex');
  let v = BigInt('0x' + (hex || '0'));
  if (n.content.length && n.content[0]! & 0x80) v -= 1n << BigInt(n.content.length * 8);
  return v;
}

export function pem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${b64}\n-----END ${type}-----\n`;
}

/** pem.Decode: the first PEM block's type and bytes, or undefined. */
export function pemDecode(text: string): { type: string; bytes: Uint8Array } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2]!.split(/\r?\n/).filter((l) => !l.includes(':')).join('');
  if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) return undefined;
  return { type: m[1]!, bytes: Buffer.from(body, 'base64') };
}
