// What an API key may do. A pipeline's key reports; it must not be able to move
// the gate it is gated by (SPEC §4):
// - read: readiness, milestones, runs, defects and tests (dashboards, badges);
// - report: read, plus open and complete runs, post results, report defects
//   and link their Jira issues (what CI needs; the default);
// - admin: report, plus project settings, gates, scope, milestone lifecycle,
//   defect status, severity lowered and waivers.
export const API_KEY_SCOPES = ['read', 'report', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const DEFAULT_API_KEY_SCOPE: ApiKeyScope = 'report';

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Each scope includes the ones before it. */
export function scopeAllows(has: ApiKeyScope, needs: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(has) >= API_KEY_SCOPES.indexOf(needs);
}
