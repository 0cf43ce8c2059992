// The functions Helm puts on top of Sprig (pkg/engine/funcs.go, engine.go): include (with its
// nesting limit), tpl, required, fail, the YAML/JSON/TOML converters and lookup.
import { deepCopyValues } from '../chart/index.js';
import { fromToml, parseYamlList, parseYamlMap, toToml, toYaml, mustToYaml, toYamlPretty } from '../goyaml/index.js';
import { goFunc, jsonKind, marshalJson, sprigFuncs, unmarshalJson } from '../template/funcs/index.js';
import { GoError, isMap, type FuncMap, type GoMap, type GoValue, type ParsedTemplate, type TemplateSet } from '../template/index.js';

/** `lookup`: the object as a map (an empty map when absent or without a cluster). */
export type Lookup = (apiVersion: string, kind: string, namespace: string, name: string) => GoValue;

/** Helm wraps `required`/`fail` messages so its error formatter prints `execution error at (...)`. */
const HELM_ERR_START = 'HELM_ERR_START';
const HELM_ERR_END = 'HELM_ERR_END';
const warnWrap = (msg: string) => `${HELM_ERR_START}${msg}${HELM_ERR_END}`;

/** How deep the same name may be nested in `include` (Helm's recursionMaxNums). */
const INCLUDE_MAX_DEPTH = 1000;

let sprigCache: FuncMap | undefined;

/** Sprig's functions as Helm exposes them (without env/expandenv, getHostByName returning ""). */
function sprigForHelm(): FuncMap {
  sprigCache ??= sprigFuncs();
  return sprigCache;
}

/**
 * `fromYaml` results remembered by input text (charts parse the same large files, CRDs for instance,
 * on every render), bounded by characters, least recently used dropped first. Callers get a deep
 * copy: each call returns a new map, as in Go.
 */
class FromYamlMemo {
  private readonly entries = new Map<string, GoMap>();
  private chars = 0;
  constructor(private readonly maxChars: number) {}

  parse(text: string): GoMap {
    if (text.length < 256) return fromYaml(text);
    let v = this.entries.get(text);
    if (v === undefined) {
      v = fromYaml(text);
      this.entries.set(text, v);
      this.chars += text.length;
      for (const [key] of this.entries) {
        if (this.chars <= this.maxChars) break;
        this.entries.delete(key);
        this.chars -= key.length;
      }
    } else {
      this.entries.delete(text);
      this.entries.set(text, v);
    }
    return deepCopyValues(v);
  }
}

/** Helm's fromYaml: a map, or `{Error: ...}` when the text is not a YAML map. */
function fromYaml(text: string): GoMap {
  try {
    return parseYamlMap(text);
  } catch (e) {
    return { Error: (e as Error).message };
  }
}

/** The converters and stubs that do not depend on a template set. */
function staticHelmFuncs(lookup: () => Lookup | undefined): FuncMap {
  const fromYamlMemo = new FromYamlMemo(16 * 1024 * 1024);
  return {
    toToml: goFunc('(v interface{}) string', (v: GoValue) => {
      try {
        return toToml(v);
      } catch (e) {
        return (e as Error).message;
      }
    }),
    fromToml: goFunc('(str string) map[string]interface{}', (s: string) => {
      try {
        return fromToml(s);
      } catch (e) {
        return { Error: (e as Error).message };
      }
    }),
    toYaml: goFunc('(v interface{}) string', (v: GoValue) => toYaml(v)),
    mustToYaml: goFunc('(v interface{}) string', (v: GoValue) => mustToYaml(v)),
    toYamlPretty: goFunc('(v interface{}) string', (v: GoValue) => toYamlPretty(v)),
    fromYaml: goFunc('(str string) map[string]interface{}', (s: string) => fromYamlMemo.parse(s)),
    fromYamlArray: goFunc('(str string) []interface{}', (s: string) => {
      try {
        return parseYamlList(s);
      } catch (e) {
        return [(e as Error).message];
      }
    }),
    toJson: goFunc('(v interface{}) string', (v: GoValue) => {
      try {
        return marshalJson(v);
      } catch (e) {
        if (e instanceof GoError) return '';
        throw e;
      }
    }),
    mustToJson: goFunc('(v interface{}) string', (v: GoValue) => marshalJson(v)),
    fromJson: goFunc('(str string) map[string]interface{}', (s: string) => {
      try {
        const v = unmarshalJson(s);
        if (v === null) return {};
        if (!isMap(v)) return { Error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}` };
        return v;
      } catch (e) {
        return { Error: (e as Error).message };
      }
    }),
    fromJsonArray: goFunc('(str string) []interface{}', (s: string) => {
      try {
        const v = unmarshalJson(s);
        if (v === null) return [];
        if (!Array.isArray(v)) return [`json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`];
        return v;
      } catch (e) {
        return [(e as Error).message];
      }
    }),
    required: goFunc('(warn string, val interface{}) (interface{}, error)', (warn: string, val: GoValue) => {
      if (val === null || val === undefined || val === '') throw new GoError(warnWrap(warn));
      return val;
    }),
    fail: goFunc('(msg string) (string, error)', (msg: string) => {
      throw new GoError(warnWrap(msg));
    }),
    lookup: goFunc('(apiVersion, kind, namespace, name string) (map[string]interface{}, error)', (apiVersion: string, kind: string, namespace: string, name: string) => {
      const fn = lookup();
      if (!fn) return {} as GoMap;
      return fn(apiVersion, kind, namespace, name);
    }),
  };
}

/**
 * `include` and `tpl` close over the template set they run in (tpl runs in a clone, so `define`s
 * inside its text are visible to `include` there). `depth` counts nested includes per name.
 */
function templateFuncs(set: TemplateSet, depth: Map<string, number>): FuncMap {
  return {
    include: goFunc('(name string, data interface{}) (string, error)', (name: string, data: GoValue) => {
      const n = depth.get(name) ?? 0;
      if (n > INCLUDE_MAX_DEPTH) throw new GoError(`rendering template has a nested reference name: ${name}: unable to execute template`);
      depth.set(name, n + 1);
      try {
        return set.execute(name, data);
      } finally {
        depth.set(name, (depth.get(name) ?? 1) - 1);
      }
    }),
    tpl: goFunc('(tpl string, vals interface{}) (string, error)', (text: string, vals: GoValue) => {
      const clone = set.clone();
      clone.addFuncs(templateFuncs(clone, depth));
      let parsed: ParsedTemplate;
      try {
        parsed = clone.parse(clone.name, text);
      } catch (e) {
        throw new GoError(`cannot parse template ${JSON.stringify(text)}: ${(e as Error).message}`, { cause: e });
      }
      let out: string;
      try {
        // The tree just parsed, as Go's t.Execute runs it: an empty or white-space text does not
        // replace the set's template of that name (an enclosing tpl's text), yet is what runs.
        out = clone.execute(parsed, vals);
      } catch (e) {
        throw new GoError(`error during tpl function execution for ${JSON.stringify(text)}: ${(e as Error).message}`, { cause: e });
      }
      return out.replaceAll('<no value>', '');
    }),
  };
}

/**
 * Every function a chart's templates can call, bound to `set`. `lookup` is asked for the current
 * lookup function at each call, so a parsed set can serve several renders.
 */
export function helmFuncs(set: TemplateSet, lookup: () => Lookup | undefined): FuncMap {
  return { ...sprigForHelm(), ...staticHelmFuncs(lookup), ...templateFuncs(set, new Map()) };
}
