// Sprig's type reflection (reflect.go): Go's %T and reflect.Kind names, and reflect.DeepEqual.
import { kindName, typeName, type FuncMap, type GoValue } from '../value.js';
import { deepEqual } from './reflect.js';
import { goFunc } from './signature.js';

export const reflectionFuncs: FuncMap = {
  typeOf: goFunc('(src interface{}) string', (v: GoValue) => typeName(v)),
  typeIs: goFunc('(target string, src interface{}) bool', (t: string, v: GoValue) => t === typeName(v)),
  typeIsLike: goFunc('(target string, src interface{}) bool', (t: string, v: GoValue) => t === typeName(v) || `*${t}` === typeName(v)),
  kindOf: goFunc('(src interface{}) string', (v: GoValue) => kindName(v)),
  kindIs: goFunc('(target string, src interface{}) bool', (t: string, v: GoValue) => t === kindName(v)),
  deepEqual: goFunc('(x, y interface{}) bool', (x: GoValue, y: GoValue) => deepEqual(x, y)),
};
