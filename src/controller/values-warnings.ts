// The ValuesWarnings condition: overlay keys that nothing reads and nulls that delete nothing (see
// src/provenance), so a typo in a values overlay shows in `kubectl describe`. Abnormal-true: present
// only while there are warnings. Key paths and sources only, never values. Pure.
import { truncateMessage, type Condition } from '../api/index.js';
import type { ValuesWarning } from '../provenance/index.js';

export const VALUES_WARNINGS = 'ValuesWarnings';

/** One message for all warnings: `replicas (spec.values) is not in ...; ...`. */
export function valuesWarningsMessage(warnings: readonly ValuesWarning[]): string {
  return warnings.map((w) => w.message).join('; ');
}

/**
 * `conditions` with the ValuesWarnings condition for `warnings`: set (True) when there are some,
 * removed when there are none, left as it was when `warnings` is undefined (values not read this time).
 */
export function withValuesWarnings(conditions: readonly Condition[], warnings: readonly ValuesWarning[] | undefined, generation: number, now: Date): Condition[] {
  if (warnings === undefined) return [...conditions];
  const others = conditions.filter((c) => c.type !== VALUES_WARNINGS);
  if (warnings.length === 0) return others;
  const before = conditions.find((c) => c.type === VALUES_WARNINGS);
  const message = truncateMessage(valuesWarningsMessage(warnings));
  const kinds = new Set(warnings.map((w) => w.kind));
  const reason = kinds.size === 1 ? (kinds.has('UnusedKey') ? 'UnusedValuesKeys' : 'NullDeletesNothing') : 'UnusedValuesKeysAndNulls';
  const unchanged = before && before.status === 'True' && before.reason === reason && before.message === message;
  return [
    ...others,
    {
      type: VALUES_WARNINGS,
      status: 'True',
      reason,
      message,
      lastTransitionTime: unchanged ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      observedGeneration: generation,
    },
  ];
}
