// bcrypt ($2a$, as golang.org/x/crypto/bcrypt generates it) on a Blowfish whose initial P-array and
// S-boxes are, by Blowfish's definition, the hexadecimal digits of pi: computed once on first use
// instead of being carried as a table.
import { randomBytes } from 'node:crypto';

const WORDS = 18 + 4 * 256;

let piWords: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fractional part (243F6A88 85A308D3 ...). */
function blowfishInitialState(): Uint32Array {
  if (piWords) return piWords;
  const bits = BigInt(WORDS * 32 + 64);
  const one = 1n << bits;
  // Machin: pi = 16·atan(1/5) − 4·atan(1/239), in fixed point.
  const atanInv = (x: bigint) => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k - 1n) / 2n) % 2n === 0n ? term / k : -(term / k);
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const fraction = (pi - (3n << bits)) >> 64n; // WORDS·32 bits after the point
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = Number((fraction >> BigInt((WORDS - 1 - i) * 32)) & 0xffffffffn);
  piWords = out;
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array; // four S-boxes of 256 words, one after another

  constructor() {
    const init = blowfishInitialState();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) >>> 0) ^ s[512 + ((x >>> 8) & 0xff)]!) + s[768 + (x & 0xff)]!) >>> 0;
  }

  encrypt(l: number, r: number): [number, number] {
    const p = this.p;
    l = (l ^ p[0]!) >>> 0;
    for (let i = 1; i <= 16; i += 2) {
      r = (r ^ this.f(l) ^ p[i]!) >>> 0;
      l = (l ^ this.f(r) ^ p[i + 1]!) >>> 0;
    }
    r = (r ^ p[17]!) >>> 0;
    return [r, l];
  }

  /** Blowfish's key schedule with bcrypt's salt (expandKeyWithSalt); no salt is plain ExpandKey. */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let pos = 0;
    const word = (b: Uint8Array) => {
      let w = 0;
      for (let k = 0; k < 4; k++) {
        w = ((w << 8) | b[pos % b.length]!) >>> 0;
        pos++;
      }
      return w;
    };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ word(key)) >>> 0;
    pos = 0;
    let l = 0;
    let r = 0;
    const fill = (arr: Uint32Array, n: number) => {
      for (let i = 0; i < n; i += 2) {
        if (salt) {
          l = (l ^ word(salt)) >>> 0;
          r = (r ^ word(salt)) >>> 0;
        }
        [l, r] = this.encrypt(l, r);
        arr[i] = l;
        arr[i + 1] = r;
      }
    };
    fill(this.p, 18);
    fill(this.s, 1024);
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt's base64 (its own alphabet, no padding). */
function bcryptBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/[A-Za-z0-9+/]/g, (c) =>
    BCRYPT_ALPHABET['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(c)]!);
}

function bcryptBase64Decode(s: string): Uint8Array {
  const std = s.replace(/./g, (c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[BCRYPT_ALPHABET.indexOf(c)]!);
  return Buffer.from(std, 'base64');
}

/** An error of GenerateFromPassword. */
export class BcryptError extends Error {}

/** bcrypt.GenerateFromPassword(password, cost) with a 16-byte salt (random unless given). */
export function bcryptHash(password: Uint8Array, cost = 10, salt: Uint8Array = randomBytes(16)): string {
  if (password.length > 72) throw new BcryptError('bcrypt: password length exceeds 72 bytes');
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(salt);
  }
  const magic = Buffer.from('OrpheanBeholderScryDoubt');
  const words = Array.from({ length: 6 }, (_, i) => magic.readUInt32BE(i * 4));
  for (let i = 0; i < 6; i += 2) {
    let [l, r] = [words[i]!, words[i + 1]!];
    for (let k = 0; k < 64; k++) [l, r] = bf.encrypt(l, r);
    words[i] = l;
    words[i + 1] = r;
  }
  const out = Buffer.alloc(24);
  words.forEach((w, i) => out.writeUInt32BE(w, i * 4));
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(out.subarray(0, 23))}`;
}

/** The 16-byte salt of a `$2a$NN$` hash (22 bcrypt-base64 characters). */
export function bcryptSalt(hash: string): Uint8Array {
  return bcryptBase64Decode(hash.slice(7, 29)).subarray(0, 16);
}
