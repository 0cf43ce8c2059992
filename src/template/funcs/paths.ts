// Sprig's path functions: package path (slash-separated) and path/filepath, which on Linux behave
// the same.
import type { FuncMap } from '../value.js';
import { goFunc } from './signature.js';

/** path.Clean: lexical shortest equivalent path. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** path.Base: last element after removing trailing slashes. */
function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** path.Dir: everything but the last element, cleaned. */
function dir(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

/** path.Ext: the suffix from the last dot in the final element. */
function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const isAbs = (p: string) => p.startsWith('/');

export const pathFuncs: FuncMap = {
  base: goFunc('(path string) string', base),
  dir: goFunc('(path string) string', dir),
  clean: goFunc('(path string) string', cleanPath),
  ext: goFunc('(path string) string', ext),
  isAbs: goFunc('(path string) bool', isAbs),
  osBase: goFunc('(path string) string', base),
  osClean: goFunc('(path string) string', cleanPath),
  osDir: goFunc('(path string) string', dir),
  osExt: goFunc('(path string) string', ext),
  osIsAbs: goFunc('(path string) bool', isAbs),
};
