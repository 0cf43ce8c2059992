// Choosing a chart version from what a source offers, as Helm's repository index does
// (IndexFile.Get): an exact string match wins; otherwise the highest version satisfying the
// Masterminds semver constraint (`1.4.x`, `~1.4`, `^1.4`, `>=1.2 <2`, `>= 1.2, < 2`, `a || b`).
// No constraint means the newest stable version: pre-releases only match a constraint naming one.
// Pure.
import { checkConstraint, compareVersions, newVersion, type SemverVersion } from '../template/funcs/semver.js';
import { ChartSourceError } from './types.js';

/** How many available versions a "no version matches" error lists. */
const NEAREST_COUNT = 5;

/** A parsed version, or undefined for a string Masterminds' lenient parser refuses. */
export function parseVersion(v: string): SemverVersion | undefined {
  try {
    return newVersion(v);
  } catch {
    return undefined;
  }
}

/**
 * Newest first, as Helm sorts index entries: by semver, strings that are not versions compared as
 * strings (and after every version, as Go's sort puts them when the comparison falls back).
 */
export function sortVersionsDescending(versions: readonly string[]): string[] {
  const parsed = versions.map((v) => ({ v, s: parseVersion(v) }));
  parsed.sort((a, b) => {
    if (a.s && b.s) return compareVersions(b.s, a.s) || (a.v < b.v ? 1 : a.v > b.v ? -1 : 0);
    if (a.s) return -1;
    if (b.s) return 1;
    return a.v < b.v ? 1 : a.v > b.v ? -1 : 0;
  });
  return parsed.map((p) => p.v);
}

/** Whether `constraint` parses as a Masterminds constraint; the parser's message when it does not. */
export function constraintProblem(constraint: string): string | undefined {
  try {
    checkConstraint(constraint, newVersion('0.0.0'));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether `version` satisfies `constraint` (empty: any stable version). */
export function satisfies(version: string, constraint = ''): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  try {
    return checkConstraint(constraint.trim() === '' ? '*' : constraint, v);
  } catch {
    return false;
  }
}

/**
 * Up to NEAREST_COUNT available versions around where `constraint`'s first version would sort
 * (all of them when the constraint names none): what the user most likely meant.
 */
export function nearestVersions(available: readonly string[], constraint = ''): string[] {
  const sorted = sortVersionsDescending([...new Set(available)]).filter((v) => parseVersion(v));
  const literal = /[0-9]+(\.[0-9]+)?(\.[0-9]+)?(-[0-9A-Za-z.-]+)?/.exec(constraint)?.[0];
  const target = literal ? parseVersion(literal) : undefined;
  if (!target || sorted.length <= NEAREST_COUNT) return sorted.slice(0, NEAREST_COUNT);
  // First index whose version is below the target: the window is centred there.
  let at = sorted.findIndex((v) => compareVersions(parseVersion(v)!, target) < 0);
  if (at < 0) at = sorted.length;
  const start = Math.max(0, Math.min(sorted.length - NEAREST_COUNT, at - Math.floor(NEAREST_COUNT / 2)));
  return sorted.slice(start, start + NEAREST_COUNT);
}

/**
 * The version Helm would pick from `available` for `constraint` (undefined or empty: the newest
 * stable). Throws ChartSourceError: SourceInvalid for a constraint that does not parse,
 * VersionNotFound (listing the nearest versions) when nothing matches.
 */
export function pickVersion(available: readonly string[], constraint?: string): string {
  const wanted = (constraint ?? '').trim();
  if (wanted !== '' && available.includes(wanted)) return wanted;
  const problem = wanted === '' ? undefined : constraintProblem(wanted);
  if (problem) throw new ChartSourceError('SourceInvalid', `version ${JSON.stringify(wanted)} is neither a version nor a semver constraint (${problem})`, false);
  for (const v of sortVersionsDescending(available)) {
    if (satisfies(v, wanted)) return v;
  }
  const nearest = nearestVersions(available, wanted);
  const what = wanted === '' ? 'no stable version is available (set a version or a constraint naming a pre-release, such as ">=0.0.0-0")' : `no version matches ${JSON.stringify(wanted)}`;
  const listed = nearest.length === 0 ? 'none is available' : `nearest available: ${nearest.join(', ')}`;
  throw new ChartSourceError('VersionNotFound', `${what}; ${listed}`, false);
}
