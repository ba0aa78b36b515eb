// A run without an environment counts as the environment named "default"; in
// SQL over runs (t) joined with their environment (e), the environment's name.
export const DEFAULT_ENVIRONMENT = 'default';

export const ENVIRONMENT_NAME_SQL = `COALESCE(e."name", '${DEFAULT_ENVIRONMENT}')`;
