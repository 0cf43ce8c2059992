// Masterminds/semver v3.4.0 as Sprig exposes it: `semver` returns a *semver.Version (with its
// methods), `semverCompare` checks a version against a constraint string.
import { GoError, GoInt, GoStruct, defineNamedType, goStringToBytes, type FuncMap, type GoValue } from '../value.js';
import { goFunc } from './signature.js';

const versionPattern = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** A parsed semantic version; `goType` is `*semver.Version` (or the value type `semver.Version`). */
export class SemverVersion extends GoStruct {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
    pointer = true,
  ) {
    super(pointer ? '*semver.Version' : 'semver.Version');
  }

  override toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? '-' + this.pre : ''}${this.metadata ? '+' + this.metadata : ''}`;
  }

  /** What copystructure makes of a Version: its fields are unexported, so a zero Version. */
  copyStructure(): SemverVersion {
    return new SemverVersion(0n, 0n, 0n, '', '', '', this.goType.startsWith('*'));
  }

  equalTo(o: GoStruct): boolean {
    return o instanceof SemverVersion && this.toString() === o.toString() && this.original === o.original;
  }
}

function parseUint64(s: string): bigint {
  const v = BigInt(s);
  if (v > 18446744073709551615n) throw new GoError(`error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

/** semver.NewVersion (the lenient parser: `v` prefix, missing minor/patch allowed). */
export function newVersion(v: string): SemverVersion {
  const m = versionPattern.exec(v);
  if (!m) throw new GoError('invalid semantic version');
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  for (const part of pre ? pre.split('.') : []) {
    if (/^[0-9]+$/.test(part) && part.length > 1 && part[0] === '0') throw new GoError('version segment starts with 0');
  }
  return new SemverVersion(
    parseUint64(m[1]!),
    m[2] ? parseUint64(m[2].slice(1)) : 0n,
    m[3] ? parseUint64(m[3].slice(1)) : 0n,
    pre,
    metadata,
    v,
  );
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const sNum = /^[0-9]+$/.test(s);
  const oNum = /^[0-9]+$/.test(o);
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = comparePrePart(x[i] ?? '', y[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1; metadata is ignored. */
export function compareVersions(a: SemverVersion, b: SemverVersion): number {
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

// ---------------------------------------------------------------------------------------------
// Constraints.

interface Constraint {
  op: string;
  con: SemverVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string) => s === 'x' || s === 'X' || s === '*';
const cv = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const cvNoGroups = cv.replace(/\((?!\?)/g, '(?:');
const ops = ['', '=', '!=', '>', '<', '>=', '=>', '<=', '=<', '~', '~>', '^'].sort((a, b) => b.length - a.length);
const opAlternation = ops.map((o) => o.replace(/[\^*]/g, '\\$&')).join('|');
// Masterminds' patterns are Go regexps: \s is ASCII white space only, not JavaScript's Unicode \s.
const ws = String.raw`[\t\n\f\r ]`;
const constraintPattern = new RegExp(String.raw`^${ws}*(${opAlternation})${ws}*(${cv})${ws}*$`);
const findConstraint = new RegExp(String.raw`(?:${opAlternation})${ws}*${cvNoGroups}`, 'g');
const validGroup = new RegExp(String.raw`^(?:${ws}*(?:${opAlternation})${ws}*${cvNoGroups}${ws}*)(?:(?:${ws}+|,${ws}*)(?:${opAlternation})${ws}*${cvNoGroups}${ws}*)*$`);
const rangePattern = new RegExp(String.raw`${ws}*(${cvNoGroups})${ws}+-${ws}+(${cvNoGroups})${ws}*`, 'g');

function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { op: '', con: newVersion('0.0.0'), dirty: true, minorDirty: false, patchDirty: false };
  const m = constraintPattern.exec(c);
  if (!m) throw new GoError(`improper constraint: ${c}`);
  const [major, minor = '', patch = '', pre = ''] = [m[3]!, m[4], m[5], m[6]];
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (minor === '' || isX(minor.slice(1))) {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (patch === '' || isX(patch.slice(1))) {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemverVersion;
  try {
    con = newVersion(ver);
  } catch {
    throw new GoError('constraint Parser Error');
  }
  return { op: m[1]!, con, dirty, minorDirty, patchDirty };
}

/** The operator checks, after the prerelease rule (a prerelease only satisfies groups naming one). */
function check(v: SemverVersion, c: Constraint): boolean {
  const k = c.con;
  const cmpv = compareVersions(v, k);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : cmpv === 0;
    case '!=':
      if (c.dirty) {
        if (k.major !== v.major) return true;
        if (k.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (k.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || k.pre !== '') return comparePrerelease(v.pre, k.pre) !== 0;
          return false;
        }
      }
      return cmpv !== 0;
    case '>':
      if (!c.dirty) return cmpv === 1;
      if (v.major > k.major) return true;
      if (v.major < k.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > k.minor;
      return cmpv === 1;
    case '<':
      return cmpv < 0;
    case '>=':
    case '=>':
      return cmpv >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmpv <= 0;
      if (v.major > k.major) return false;
      if (v.major === k.major && v.minor > k.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (cmpv < 0) return false;
      if (k.major > 0n || c.minorDirty) return v.major === k.major;
      if (v.major > 0n) return false;
      if (k.minor > 0n || c.patchDirty) return v.minor === k.minor;
      if (v.minor > 0n) return false;
      return k.patch === v.patch;
  }
  return false;
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  const k = c.con;
  if (compareVersions(v, k) < 0) return false;
  if (k.major === 0n && k.minor === 0n && k.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== k.major) return false;
  if (v.minor !== k.minor && !c.minorDirty) return false;
  return true;
}

/** semver.NewConstraint(...).Check(version): `||` separates alternatives, spaces or commas AND. */
export function checkConstraint(constraint: string, v: SemverVersion): boolean {
  const rewritten = constraint.replace(rangePattern, (_all, lo: string, hi: string) => ` >= ${lo} <= ${hi} `);
  const groups = rewritten.split('||').map((group) => {
    if (!validGroup.test(group)) throw new GoError(`improper constraint: ${group}`);
    const parts = group.match(findConstraint) ?? [group];
    return parts.map(parseConstraint);
  });
  return groups.some((cs) => {
    const includePre = cs.some((c) => c.con.pre !== '');
    return cs.every((c) => (v.pre === '' || includePre) && check(v, c));
  });
}

// ---------------------------------------------------------------------------------------------
// The Go type and its methods.

/** Methods with a value receiver, in the method set of both semver.Version and *semver.Version. */
const valueMethods = {
  Major: goFunc('() uint64', (v: SemverVersion) => new GoInt(Number(v.major), 'uint64')),
  Minor: goFunc('() uint64', (v: SemverVersion) => new GoInt(Number(v.minor), 'uint64')),
  Patch: goFunc('() uint64', (v: SemverVersion) => new GoInt(Number(v.patch), 'uint64')),
  Prerelease: goFunc('() string', (v: SemverVersion) => v.pre),
  Metadata: goFunc('() string', (v: SemverVersion) => v.metadata),
  String: goFunc('() string', (v: SemverVersion) => v.toString()),
  IncPatch: goFunc('() semver.Version', (v: SemverVersion) =>
    v.pre !== '' ? withOriginal(v.major, v.minor, v.patch, '', '') : withOriginal(v.major, v.minor, v.patch + 1n, '', '')),
  IncMinor: goFunc('() semver.Version', (v: SemverVersion) => withOriginal(v.major, v.minor + 1n, 0n, '', '')),
  IncMajor: goFunc('() semver.Version', (v: SemverVersion) => withOriginal(v.major + 1n, 0n, 0n, '', '')),
  MarshalJSON: goFunc('() ([]byte, error)', (v: SemverVersion) => goStringToBytes(JSON.stringify(v.toString()))),
};

/** Methods with a pointer receiver: only *semver.Version has them. */
const pointerMethods = {
  ...valueMethods,
  Original: goFunc('() string', (v: SemverVersion) => v.original),
  Compare: goFunc('(o *semver.Version) int', (v: SemverVersion, o: SemverVersion) => new GoInt(compareVersions(v, o), 'int')),
  LessThan: goFunc('(o *semver.Version) bool', (v: SemverVersion, o: SemverVersion) => compareVersions(v, o) < 0),
  LessThanEqual: goFunc('(o *semver.Version) bool', (v: SemverVersion, o: SemverVersion) => compareVersions(v, o) <= 0),
  GreaterThan: goFunc('(o *semver.Version) bool', (v: SemverVersion, o: SemverVersion) => compareVersions(v, o) > 0),
  GreaterThanEqual: goFunc('(o *semver.Version) bool', (v: SemverVersion, o: SemverVersion) => compareVersions(v, o) >= 0),
  Equal: goFunc('(o *semver.Version) bool', (v: SemverVersion, o: SemverVersion) => compareVersions(v, o) === 0),
};

/** IncPatch and friends return a Version value whose Original is the new string (with a `v` kept off). */
function withOriginal(major: bigint, minor: bigint, patch: bigint, pre: string, meta: string): SemverVersion {
  const probe = new SemverVersion(major, minor, patch, pre, meta, '', false);
  return new SemverVersion(major, minor, patch, pre, meta, probe.toString(), false);
}

defineNamedType('*semver.Version', 'struct', pointerMethods);
defineNamedType('semver.Version', 'struct', valueMethods);

export const semverFuncs: FuncMap = {
  semver: goFunc('(version string) (*semver.Version, error)', (s: string): GoValue => newVersion(s)),
  semverCompare: goFunc('(constraint, version string) (bool, error)', (c: string, s: string) => {
    // Go parses the constraint first, so a bad constraint is reported before a bad version.
    checkConstraint(c, newVersion('0.0.0'));
    return checkConstraint(c, newVersion(s));
  }),
};
