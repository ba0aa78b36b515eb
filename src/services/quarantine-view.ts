// A quarantine as every surface shows it (the API, Slack, the CLI): the case,
// the terms, who gave it, and whether it holds now. Who is the older "who"
// form (a Slack user id, "api", "cli"); the audit trail names the actor fully.
import { isQuarantineInForce } from '../domain/quarantine.js';

export interface QuarantineView {
  id: string;
  caseKey: string;
  title: string;
  critical: boolean;
  reason: string;
  until: string;
  by: string;
  at: string;
  /**
   * Whether its failures are left out now: not expired and the case not critical (a case made
   * critical after it was quarantined counts again: critical always wins).
   */
  inForce: boolean;
}

export interface QuarantineRow {
  id: string;
  reason: string;
  until: Date;
  createdBy: string;
  createdAt: Date;
  testCase: { key: string; title: string; critical: boolean };
}

export const QUARANTINE_SELECT = {
  id: true,
  reason: true,
  until: true,
  createdBy: true,
  createdAt: true,
  testCase: { select: { key: true, title: true, critical: true } },
} as const;

export function quarantineView(q: QuarantineRow, now: Date): QuarantineView {
  return {
    id: q.id,
    caseKey: q.testCase.key,
    title: q.testCase.title,
    critical: q.testCase.critical,
    reason: q.reason,
    until: q.until.toISOString(),
    by: q.createdBy,
    at: q.createdAt.toISOString(),
    inForce: isQuarantineInForce(q, now) && !q.testCase.critical,
  };
}
