// Sprig's defaults and flow control (defaults.go): default, empty, coalesce, all, any, ternary, fail.
import { GoError, type FuncMap, type GoValue } from '../value.js';
import { isEmpty } from './reflect.js';
import { goFunc } from './signature.js';

export const flowFuncs: FuncMap = {
  default: goFunc('(d interface{}, given ...interface{}) interface{}', (d: GoValue, ...given: GoValue[]) =>
    given.length === 0 || isEmpty(given[0]) ? d : given[0]!),
  empty: goFunc('(given interface{}) bool', isEmpty),
  coalesce: goFunc('(v ...interface{}) interface{}', (...vs: GoValue[]) => vs.find((v) => !isEmpty(v)) ?? null),
  all: goFunc('(v ...interface{}) bool', (...vs: GoValue[]) => vs.every((v) => !isEmpty(v))),
  any: goFunc('(v ...interface{}) bool', (...vs: GoValue[]) => vs.some((v) => !isEmpty(v))),
  ternary: goFunc('(vt interface{}, vf interface{}, v bool) interface{}', (vt: GoValue, vf: GoValue, v: boolean) => (v ? vt : vf)),
  fail: goFunc('(msg string) (string, error)', (msg: string) => {
    throw new GoError(msg);
  }),
};
