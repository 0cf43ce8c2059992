// Whether a deploy announces itself in status (Reconciling=True, "installing revision N ...") before
// it starts. The announcement is one status write; it informs only while the deploy lasts. A deploy
// that runs hooks, applies CRDs or waits for workloads can take minutes and is announced; one that
// only applies its objects takes a few requests, and a status written then overwritten within the
// same second informs no one: the final status (Ready, or the failure) is the only write. Hooks count
// only when this deploy runs them: pre-/post-<action>, and test hooks when spec.test runs them (a
// chart's test hooks alone, as most charts ship, make an install no longer). Pure.
export interface DeployShape {
  action: 'install' | 'upgrade';
  /** Each hook's events (helm.sh/hook: pre-install, post-upgrade, test, ...). */
  hookEvents: readonly (readonly string[])[];
  /** spec.test.enabled: test hooks run after the deploy. */
  tests: boolean;
  crds: number;
  waits: boolean;
}

export function announcesDeploy(shape: DeployShape): boolean {
  const runs = new Set([`pre-${shape.action}`, `post-${shape.action}`, ...(shape.tests ? ['test'] : [])]);
  const hooks = shape.hookEvents.some((events) => events.some((e) => runs.has(e)));
  return hooks || shape.crds > 0 || shape.waits;
}

/**
 * Whether the record of this deploy is written once, as deployed, before its objects are applied,
 * instead of pending first and deployed after. Only for a first install that only applies objects
 * (nothing announced: no hooks of its own, CRDs, wait or tests) and corrects drift without approval:
 * for it, what a restart does with a deployed record (apply its objects again where they differ or
 * are missing) is exactly what resuming a pending one would do, and no earlier revision needs
 * superseding or pruning. The record still exists before the first object does, so it claims the
 * release and an uninstall finds every object. A failed apply marks it failed, as before.
 */
export function recordsDeployedFirst(shape: DeployShape & { records: number; manualApproval: boolean }): boolean {
  return shape.action === 'install' && shape.records === 0 && !shape.manualApproval && !announcesDeploy(shape);
}
