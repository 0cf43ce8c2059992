// Implicit typing of plain YAML scalars as go-yaml v2 does it (YAML 1.1 with go-yaml's own choices):
// `yes/no/on/off/y/n` are booleans, `0777` is octal, `1_000` drops underscores, timestamps are
// recognised (and kept as strings by the decoders that matter to Helm), sexagesimal numbers are not.
// The same resolution decides, on output, which strings must be quoted.

const TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = `${TAG_PREFIX}str`;
export const BOOL_TAG = `${TAG_PREFIX}bool`;
export const INT_TAG = `${TAG_PREFIX}int`;
export const FLOAT_TAG = `${TAG_PREFIX}float`;
export const NULL_TAG = `${TAG_PREFIX}null`;
const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
export const BINARY_TAG = `${TAG_PREFIX}binary`;
export const MERGE_TAG = `${TAG_PREFIX}merge`;

/** A resolved scalar. Integers keep full precision (int64, or uint64 above int64's range). */
type ResolvedScalar =
  | { tag: typeof NULL_TAG; value: null }
  | { tag: typeof BOOL_TAG; value: boolean }
  | { tag: typeof INT_TAG; value: bigint }
  | { tag: typeof FLOAT_TAG; value: number }
  | { tag: typeof STR_TAG | typeof TIMESTAMP_TAG; value: string }
  | { tag: string; value: string };

const wordValues = new Map<string, ResolvedScalar>();
function words(list: string[], resolved: ResolvedScalar): void {
  for (const w of list) wordValues.set(w, resolved);
}
words(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'], { tag: BOOL_TAG, value: true });
words(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'], { tag: BOOL_TAG, value: false });
words(['', '~', 'null', 'Null', 'NULL'], { tag: NULL_TAG, value: null });
words(['.nan', '.NaN', '.NAN'], { tag: FLOAT_TAG, value: NaN });
words(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'], { tag: FLOAT_TAG, value: Infinity });
words(['-.inf', '-.Inf', '-.INF'], { tag: FLOAT_TAG, value: -Infinity });

/** The tags whose scalars go-yaml resolves by content; any other explicit tag keeps the text. */
const resolvableTags = new Set(['', STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** An int64, or (without a minus sign) a uint64. */
function inGoIntegerRange(value: bigint, negative: boolean): boolean {
  return (value >= INT64_MIN && value <= INT64_MAX) || (!negative && value >= 0n && value <= UINT64_MAX);
}

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint: sign, then 0x / 0o / 0b / leading-0 octal prefixes. */
function parseGoInteger(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, digits] = m as unknown as [string, string, string];
  let magnitude: bigint;
  if (/^0[oO]/.test(digits)) magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = sign === '-' ? -magnitude : magnitude;
  return inGoIntegerRange(value, sign === '-') ? value : undefined;
}

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseFloat for decimal text already known to be well-formed; out of range is a failure. */
function parseFiniteFloat(s: string): number | undefined {
  const x = Number(s);
  return Number.isFinite(x) ? x : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * go-yaml's timestamp check: `YYYY-M-D`, optionally followed by `[Tt ]h:m:s[.frac]` (with `Z` or
 * `±hh:mm` after a T), parsed with Go's time.Parse and its range checks.
 */
function isTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, t, space, h, mi, sec, zone] = m;
  const month = Number(mo);
  if (month < 1 || month > 12) return false;
  const day = Number(d);
  if (day < 1 || day > daysInMonth(Number(y), month)) return false;
  if (h === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  if (t !== undefined) return zone !== undefined;
  return space !== undefined && zone === undefined;
}

/**
 * go-yaml v2's resolve(tag, text): the type a scalar gets. `tag` is '' for a plain scalar without
 * an explicit tag. Throws (go-yaml's text) when an explicit tag contradicts the content.
 */
export function resolveScalar(text: string, tag = ''): ResolvedScalar {
  if (!resolvableTag(tag)) return { tag, value: text };
  const resolved = resolveByContent(text, tag);
  if (tag === '' || tag === resolved.tag || tag === STR_TAG) return tag === STR_TAG ? { tag: STR_TAG, value: text } : resolved;
  if (tag === FLOAT_TAG && resolved.tag === INT_TAG) return { tag: FLOAT_TAG, value: Number(resolved.value) };
  throw new Error(`cannot decode ${shortTag(resolved.tag)} \`${text}\` as a ${shortTag(tag)}`);
}

function resolvableTag(tag: string): boolean {
  return resolvableTags.has(tag);
}

function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

function resolveByContent(text: string, tag: string): ResolvedScalar {
  const str: ResolvedScalar = { tag: STR_TAG, value: text };
  if (tag === STR_TAG) return str;
  // Only scalars starting with a sign, digit, dot or one of yYnNtTfFoO~ can be anything but a
  // string (so `<<` written as a value is a string, unlike the merge key when reading).
  const first = text === '' ? 'N' : text[0]!;
  if (!/^[-+0-9.yYnNtTfFoO~]$/.test(first)) return str;
  const word = wordValues.get(text);
  if (word) return word;
  if (first === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) {
      const x = parseFiniteFloat(text);
      if (x !== undefined) return { tag: FLOAT_TAG, value: x };
    }
    return str;
  }
  if (!/^[-+0-9]$/.test(first)) return str;
  if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(text)) return { tag: TIMESTAMP_TAG, value: text };
  const plain = text.replaceAll('_', '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return { tag: INT_TAG, value: integer };
  if (yamlStyleFloat.test(plain)) {
    const x = parseFiniteFloat(plain);
    if (x !== undefined) return { tag: FLOAT_TAG, value: x };
  }
  const binary = /^(-?)0b([01]+)$/.exec(plain);
  if (binary) {
    const magnitude = BigInt(`0b${binary[2]}`);
    const value = binary[1] ? -magnitude : magnitude;
    if (inGoIntegerRange(value, binary[1] === '-')) return { tag: INT_TAG, value };
  }
  return str;
}

const base60Float = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * Whether go-yaml's encoder may write `s` as a plain scalar: it must read back as a string, and
 * YAML 1.1 sexagesimal numbers (`1:20`) are quoted for other parsers' sake.
 */
export function plainReadsAsString(s: string): boolean {
  return resolveByContent(s, '').tag === STR_TAG && !base60Float.test(s);
}
