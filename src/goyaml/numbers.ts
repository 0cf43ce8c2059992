// Number spellings of Go's strconv and encoding/json that the YAML layer needs.
import { formatFloat } from '../template/value.js';

/**
 * strconv.FormatFloat(x, 'g', -1, 32): the shortest digits that read back as the same float32,
 * with go-yaml's names for the special values (`.inf`, `-.inf`, `.nan`). sigs.k8s.io/yaml spells
 * float map keys this way.
 */
export function formatFloat32(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return formatFloat(candidate);
  }
  return formatFloat(f);
}

/** strconv.FormatFloat(x, 'g', -1, 64) as go-yaml's encoder writes floats (`.inf`, `-.inf`, `.nan`). */
export function formatYamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  return formatFloat(x);
}

/**
 * encoding/json's float64 text: 'f' format for 1e-6 <= |x| < 1e21, otherwise exponent form with
 * the exponent's leading zeros dropped. JavaScript's number to string conversion is the same,
 * except for negative zero.
 */
export function formatJsonFloat(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}
