// Declaring a template function by its Go signature, written as Sprig writes it in Go:
//   goFunc('(count int, str string) string', (count, str) => ...)
// The executor checks arguments against `params`/`variadic` exactly as text/template does.
import type { GoFunc, GoValue } from '../value.js';

function normalizeType(t: string): string {
  return t.trim().replace(/interface\s*\{\s*\}/g, 'interface {}');
}

/**
 * Parses `(a, b string, rest ...interface{}) (string, error)` into a GoFunc. Parameter names are
 * grouped as in Go (`a, b string` are both strings); the first result type is the documented result.
 */
export function goFunc(signature: string, fn: (...args: any[]) => GoValue): GoFunc {
  const m = /^\(([^)]*)\)\s*(.*)$/.exec(signature.trim());
  if (!m) throw new Error(`goFunc: malformed signature ${JSON.stringify(signature)}`);
  const params: string[] = [];
  let variadic: string | undefined;
  let pendingNames = 0;
  const parts = m[1]!.trim() === '' ? [] : m[1]!.split(',');
  for (const part of parts) {
    const words = part.trim().match(/^(\w+)\s*(.*)$/);
    if (!words) throw new Error(`goFunc: malformed parameter ${JSON.stringify(part)} in ${signature}`);
    const type = words[2]!;
    if (type === '') {
      pendingNames++;
      continue;
    }
    if (type.startsWith('...')) {
      if (pendingNames) throw new Error(`goFunc: names before a variadic parameter in ${signature}`);
      variadic = normalizeType(type.slice(3));
      continue;
    }
    for (let i = 0; i <= pendingNames; i++) params.push(normalizeType(type));
    pendingNames = 0;
  }
  const result = normalizeType(m[2]!.replace(/^\(/, '').replace(/,.*$|\)$/g, '')) || undefined;
  const f: GoFunc = { params, fn };
  if (variadic !== undefined) f.variadic = variadic;
  if (result !== undefined) f.result = result;
  return f;
}
