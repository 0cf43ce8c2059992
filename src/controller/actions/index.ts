// The actions of a reconcile: each one does the I/O for one decision.
export type { ActionLogger, ReleaseContext } from './context.js';
export { deployRendered, deployRollback, resumeRecord, inventoryOf, type DeployReport } from './deploy.js';
export { verifyDeployed, type VerifyReport } from './verify.js';
export { dryRunPlanObjects } from './plan.js';
export { uninstallRelease, type UninstallReport } from './uninstall.js';
export { hooksFor, runHook, runHooks, type HookEvent } from './hooks.js';
export { runTests, TestFailedError, type TestReport } from './tests.js';
export { uninstallRevisions, type RemediationUninstallReport } from './remediate.js';
