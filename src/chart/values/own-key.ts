import type { GoMap, GoValue } from '../../template/value.js';

/** Sets `m[key]` as an own data property: a values key named `__proto__` is just a key. */
export function setOwnKey(m: GoMap, key: string, value: GoValue): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}
