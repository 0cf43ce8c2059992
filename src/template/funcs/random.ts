// Sprig's random functions, from node's cryptographic random source: goutils' CryptoRandom*
// strings, randBytes, randInt, uuidv4, and xstrings' shuffle.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { GoInt, GoPanic, type FuncMap, type GoValue } from '../value.js';
import { intArg } from './cast.js';
import { goFunc } from './signature.js';

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** count characters drawn uniformly from the alphabet; a negative count gives "" (goutils' error). */
function randomString(count: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function shuffle(s: string): string {
  const runes = [...s];
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [runes[i], runes[j]] = [runes[j]!, runes[i]!];
  }
  return runes.join('');
}

export const randomFuncs: FuncMap = {
  randAlphaNum: goFunc('(count int) string', (n: GoValue) => randomString(intArg(n), letters + digits)),
  randAlpha: goFunc('(count int) string', (n: GoValue) => randomString(intArg(n), letters)),
  randAscii: goFunc('(count int) string', (n: GoValue) => randomString(intArg(n), ascii)),
  randNumeric: goFunc('(count int) string', (n: GoValue) => randomString(intArg(n), digits)),
  randBytes: goFunc('(count int) (string, error)', (n: GoValue) => {
    if (intArg(n) < 0) throw new GoPanic('runtime error: makeslice: len out of range');
    return randomBytes(intArg(n)).toString('base64');
  }),
  randInt: goFunc('(min, max int) int', (lo: GoValue, hi: GoValue) => {
    const n = intArg(hi) - intArg(lo);
    if (n <= 0) throw new GoPanic('invalid argument to Intn');
    return new GoInt(randomInt(n) + intArg(lo), 'int');
  }),
  uuidv4: goFunc('() string', () => randomUUID()),
  shuffle: goFunc('(str string) string', shuffle),
};
