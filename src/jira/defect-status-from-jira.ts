// How a Jira status change moves a defect. Only transitions count: entering
// the Done category resolves, leaving it reopens. A status Shipgate users set
// by hand is not overwritten by an unrelated Jira edit (a comment, a new
// assignee) that leaves the category where it was.
// A WAIVED defect stays waived when its issue leaves Done — the waiver was a
// decision about shipping with the defect — unless the waiver has expired, in
// which case it is OPEN again. Entering Done resolves a waived
// defect too: the fix supersedes the waiver.
export type DefectStatus = 'OPEN' | 'RESOLVED' | 'WAIVED';

export interface DefectJiraView {
  status: DefectStatus;
  jiraStatusCategory: string | null;
  waiverUntil: Date | null;
}

export interface StatusChange {
  status: DefectStatus;
  clearWaiver: boolean;
}

export const DONE = 'done';

export function statusFromJira(defect: DefectJiraView, incomingCategory: string | null, now: Date): StatusChange | null {
  if (!incomingCategory) return null;
  const wasDone = defect.jiraStatusCategory === DONE;
  const isDone = incomingCategory === DONE;
  if (isDone && !wasDone) {
    return defect.status === 'RESOLVED' ? null : { status: 'RESOLVED', clearWaiver: true };
  }
  if (!isDone && wasDone) {
    if (defect.status === 'RESOLVED') return { status: 'OPEN', clearWaiver: true };
    if (defect.status === 'WAIVED' && defect.waiverUntil && defect.waiverUntil <= now) return { status: 'OPEN', clearWaiver: true };
  }
  return null;
}
