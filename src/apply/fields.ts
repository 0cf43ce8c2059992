// Field ownership, pure: which fields an object of the deployed revision set (those are the
// release's to take back, whoever edited them since), and moving the fields Helm's field manager
// holds to ours when a release is adopted (the managedFields upgrade client-go's csaupgrade does
// for kubectl, for Helm's Update and Apply entries alike), so fields the chart later drops are pruned.

/** One element of a server-side apply field path: `.name`, `[k="v",...]`, `[="v"]`, `[3]`. */
type PathElement = { field: string } | { keys: Record<string, unknown> } | { value: unknown } | { index: number };

/** Splits `k="a,b",n=80` at the commas outside quotes. */
function splitKeys(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function parseJsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The bracket element at the start of `rest` and its length; undefined if malformed. */
function bracket(rest: string): { element: PathElement; length: number } | undefined {
  let quoted = false;
  for (let i = 1; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) {
      const inner = rest.slice(1, i);
      if (/^\d+$/.test(inner)) return { element: { index: Number(inner) }, length: i + 1 };
      if (inner.startsWith('=')) return { element: { value: parseJsonValue(inner.slice(1)) }, length: i + 1 };
      const keys: Record<string, unknown> = {};
      for (const pair of splitKeys(inner)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) return undefined;
        keys[pair.slice(0, eq)] = parseJsonValue(pair.slice(eq + 1));
      }
      return { element: { keys }, length: i + 1 };
    }
  }
  return undefined;
}

const looseEqual = (a: unknown, b: unknown) => a === b || (a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b));

/**
 * Whether `object` (a manifest object as plain data) sets the field at `path`, a path as the API
 * server prints it in a conflict (`.data.a`, `.spec.template.spec.containers[name="app"].image`,
 * `.metadata.labels.app.kubernetes.io/name`). Map keys may contain dots, so a field element is
 * matched against the keys the object has, longest first. A list item matches keys it lacks (the
 * server defaults key fields such as a port's protocol).
 */
export function setsField(object: unknown, path: string): boolean {
  const walk = (node: unknown, rest: string): boolean => {
    if (rest === '') return node !== undefined;
    if (node === null || node === undefined || typeof node !== 'object') return false;
    if (rest.startsWith('.')) {
      if (Array.isArray(node)) return false;
      const keys = Object.keys(node).sort((a, b) => b.length - a.length);
      for (const key of keys) {
        if (!rest.startsWith(key, 1)) continue;
        const after = rest.slice(1 + key.length);
        if (after !== '' && after[0] !== '.' && after[0] !== '[') continue;
        if (walk((node as Record<string, unknown>)[key], after)) return true;
      }
      return false;
    }
    if (rest.startsWith('[') && Array.isArray(node)) {
      const b = bracket(rest);
      if (!b) return false;
      const after = rest.slice(b.length);
      const el = b.element;
      if ('index' in el) return walk(node[el.index], after);
      if ('value' in el) return node.some((item) => looseEqual(item, el.value)) && after === '';
      if ('keys' in el) {
        return node.some((item) => {
          if (!item || typeof item !== 'object') return false;
          const given = Object.entries(el.keys).filter(([k]) => (item as Record<string, unknown>)[k] !== undefined);
          return given.length > 0 && given.every(([k, v]) => looseEqual((item as Record<string, unknown>)[k], v)) && walk(item, after);
        });
      }
    }
    return false;
  };
  return walk(object, path);
}

/** A metadata.managedFields entry. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
  [field: string]: unknown;
}

/** The union of two FieldsV1 tries. */
export function unionFields(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = mine && typeof mine === 'object' && v && typeof v === 'object' ? unionFields(mine as Record<string, unknown>, v as Record<string, unknown>) : (v ?? mine);
  }
  return out;
}

/**
 * managedFields with the entries of `from` managers (operation Update or Apply, not of a subresource)
 * moved into `to`'s Apply entry, as csaupgrade.UpgradeManagedFields does for one client-side manager:
 * `to`'s Apply entry is found, or made from the first `from` entry; every `from` entry of the same
 * apiVersion is unioned into it; all `from` entries are removed. Null when there is nothing to move.
 */
export function upgradeManagedFields(entries: readonly ManagedFieldsEntry[], from: readonly string[], to: string): ManagedFieldsEntry[] | null {
  const isSource = (e: ManagedFieldsEntry) => from.includes(e.manager ?? '') && (e.operation === 'Update' || e.operation === 'Apply') && !e.subresource;
  if (!entries.some(isSource)) return null;
  const out = entries.map((e) => ({ ...e }));
  let target = out.findIndex((e) => e.manager === to && e.operation === 'Apply' && !e.subresource);
  if (target < 0) {
    target = out.findIndex(isSource);
    out[target] = { ...out[target]!, manager: to, operation: 'Apply' };
  }
  const into = out[target]!;
  for (const e of out) {
    if (e !== into && isSource(e) && e.apiVersion === into.apiVersion) into.fieldsV1 = unionFields(into.fieldsV1, e.fieldsV1);
  }
  return out.filter((e) => e === into || !isSource(e));
}
