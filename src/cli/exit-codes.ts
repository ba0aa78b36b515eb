// The CLI's exit codes: 0 success, 1 a failure (or a gate that did not pass), 2 usage or configuration.
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
