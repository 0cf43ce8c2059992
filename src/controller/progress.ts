// Whether a deploy announces itself in status (Reconciling=True, "installing revision N ...") before
// it starts. The announcement is one status write; it informs only while the deploy lasts. A deploy
// that runs hooks, applies CRDs or waits for workloads can take minutes and is announced; one that
// only applies its objects takes a few requests, and a status written then overwritten within the
// same second informs no one: the final status (Ready, or the failure) is the only write. Pure.
export interface DeployShape {
  hooks: number;
  crds: number;
  waits: boolean;
}

export function announcesDeploy(shape: DeployShape): boolean {
  return shape.hooks > 0 || shape.crds > 0 || shape.waits;
}
