// The Sprig v3.3.0 function library as Helm exposes it: sprig.TxtFuncMap() without `env` and
// `expandenv`, which Helm deletes. Helm's own functions (include, tpl, toYaml, lookup, ...) are
// registered on top of these by the render layer.
import type { FuncMap } from '../value.js';
import { conversionFuncs } from './conversions.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs, systemDateEnvironment, type DateEnvironment } from './dates.js';
import { dictFuncs } from './dicts.js';
import { encodingFuncs } from './encoding.js';
import { flowFuncs } from './flow.js';
import { jsonFuncs } from './json.js';
import { listFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { pathFuncs } from './paths.js';
import { randomFuncs } from './random.js';
import { reflectionFuncs } from './reflection.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { goFunc } from './signature.js';
import { stringFuncs } from './strings.js';
import { urlFuncs } from './urls.js';

export interface SprigOptions {
  /** Clock, monotonic clock and local zone for the date functions (default: the process's). */
  dates?: DateEnvironment;
  /**
   * Resolves a host name for getHostByName (Sprig returns the first address). Helm renders with DNS
   * disabled, where the function returns ""; that is the default.
   */
  lookupHost?: (name: string) => string;
}

/** Names in Sprig's TxtFuncMap that Helm removes before rendering. */
export const namesRemovedByHelm = ['env', 'expandenv'] as const;

/** Sprig's functions with Helm's deletions applied. */
export function sprigFuncs(options: SprigOptions = {}): FuncMap {
  const dates = options.dates ?? systemDateEnvironment();
  const lookupHost = options.lookupHost ?? (() => '');
  return {
    hello: goFunc('() string', () => 'Hello!'),
    ...stringFuncs,
    ...listFuncs,
    ...dictFuncs,
    ...flowFuncs,
    ...conversionFuncs,
    ...mathFuncs,
    ...reflectionFuncs,
    ...regexFuncs,
    ...encodingFuncs,
    ...jsonFuncs,
    ...semverFuncs,
    ...dateFuncs(dates),
    ...cryptoFuncs({ now: dates.now }),
    ...randomFuncs,
    ...pathFuncs,
    ...urlFuncs,
    getHostByName: goFunc('(name string) string', (name: string) => lookupHost(name)),
  };
}

export { marshalJson, unmarshalJson, jsonKind, JsonMarshalError, JsonUnmarshalError, type MarshalOptions } from './json.js';
export { systemDateEnvironment, type DateEnvironment } from './dates.js';
export { GoTime } from './gotime.js';
export { SemverVersion } from './semver.js';
export { GoRegexp, RegexpSyntaxError } from './re2.js';
export { goFunc } from './signature.js';
export { strval, toInt, toInt64, toFloat64 } from './cast.js';
export { deepEqual, deepCopy, isEmpty } from './reflect.js';
