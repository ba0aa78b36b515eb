// A flag or input value that was accepted as text but cannot be used; the CLI exits 2, the Action fails.
export class UsageError extends Error {}
