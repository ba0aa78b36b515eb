// The domain layer's public face: pure rules over plain data, no I/O. Other
// layers import from here (or from a module directly when they need one thing).
export * from './types.js';
export * from './errors.js';
export * from './gate-policy.js';
export * from './scope.js';
export * from './time.js';
export * from './milestone-lifecycle.js';
export * from './readiness.js';
export * from './percent.js';
export * from './project-key.js';
export * from './milestone-name.js';
export * from './jira-keys.js';
