// When releases fail: failure counters, remediation steps, and the status that explains them.
export * from './decide.js';
export * from './status.js';
