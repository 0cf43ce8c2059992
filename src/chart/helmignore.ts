// .helmignore rules as Helm evaluates them (pkg/ignore): one shell pattern per line, `#` comments,
// `!` negation, a trailing `/` for directories only, a leading `/` anchors at the chart root, a
// pattern without `/` is matched against the base name only, `**` is rejected. Rules are tried in
// order and the first decisive one wins; note Helm's quirk that a negated rule which does NOT match
// ignores the path (so `!keep.txt` alone ignores everything else).
import { BadPatternError, pathMatch } from './path-match.js';

interface IgnoreRule {
  raw: string;
  pattern: string;
  negate: boolean;
  mustDir: boolean;
  /** anchored or containing '/': match the whole path; otherwise the base name. */
  wholePath: boolean;
}

export class HelmignoreError extends Error {
  override name = 'HelmignoreError';
}

export interface IgnoreRules {
  /** Whether `path` (relative to the chart root, '/'-separated) is ignored. */
  ignores(path: string, isDir: boolean): boolean;
}

function parseRule(line: string): IgnoreRule | null {
  let rule = line.trim();
  if (rule === '' || rule.startsWith('#')) return null;
  if (rule.includes('**')) throw new HelmignoreError('double-star (**) syntax is not supported');
  try {
    pathMatch(rule, 'abc');
  } catch (err) {
    if (err instanceof BadPatternError) throw new HelmignoreError(`syntax error in pattern: ${JSON.stringify(rule)}`);
    throw err;
  }
  const raw = rule;
  let negate = false;
  let mustDir = false;
  if (rule.startsWith('!')) {
    negate = true;
    rule = rule.slice(1);
  }
  if (rule.endsWith('/')) {
    mustDir = true;
    rule = rule.slice(0, -1);
  }
  let wholePath = rule.includes('/');
  if (rule.startsWith('/')) {
    rule = rule.slice(1);
    wholePath = true;
  }
  return { raw, pattern: rule, negate, mustDir, wholePath };
}

function ruleMatches(rule: IgnoreRule, path: string): boolean {
  const subject = rule.wholePath ? path : path.slice(path.lastIndexOf('/') + 1);
  try {
    return pathMatch(rule.pattern, subject);
  } catch {
    return false;
  }
}

/** Parses a .helmignore file; `withDefaults` adds Helm's default rule (dot files under templates/). */
export function parseHelmignore(text: string, withDefaults = true): IgnoreRules {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const rule = parseRule(line);
    if (rule) rules.push(rule);
  }
  if (withDefaults) rules.push(parseRule('templates/.?*')!);
  return {
    ignores(path: string, isDir: boolean): boolean {
      if (path === '' || path === '.' || path === './') return false;
      for (const rule of rules) {
        if (rule.negate) {
          if (rule.mustDir && !isDir) return true;
          if (!ruleMatches(rule, path)) return true;
          continue;
        }
        if (rule.mustDir && !isDir) continue;
        if (ruleMatches(rule, path)) return true;
      }
      return false;
    },
  };
}
