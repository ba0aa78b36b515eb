// Whether the calling API key may do what a request asks. A route declares the
// scope it needs (route-table.ts); a handler asks for more when a field of the
// body decides (a defect's status, a gate in a new milestone).
import { scopeAllows, type ApiKeyScope } from '../domain/api-key-scopes.js';
import { AppError } from '../domain/errors.js';

export interface CallingKey {
  id: string;
  name: string | null;
  scope: ApiKeyScope;
}

/** Throws 403 naming the scope needed and how to get a key with it. */
export function requireScope(key: CallingKey, projectKey: string, needs: ApiKeyScope, doing: string): void {
  if (scopeAllows(key.scope, needs)) return;
  const how =
    needs === 'admin'
      ? `Use an admin key kept outside the pipeline being gated (shipgate apikey create ${projectKey} --scope admin, or /milestone apikey create ${projectKey} admin), or do it in Slack.`
      : `Create one with shipgate apikey create ${projectKey} --scope ${needs} (or /milestone apikey create ${projectKey} ${needs}).`;
  throw new AppError(
    'FORBIDDEN',
    `This API key has the ${key.scope} scope; ${doing} needs ${needs === 'admin' ? 'an' : 'a'} ${needs} key. ${how}`,
    {
      scope: key.scope,
      needs,
    },
  );
}
