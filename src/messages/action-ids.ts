// The action and callback ids the UI builders put on buttons and modals, and the
// listeners route on: one table, so a renamed button cannot lose its listener.
export const ACTIONS = {
  refresh: 'card_refresh',
  signOff: 'card_signoff',
  reportDefect: 'card_defect',
  linkRun: 'card_link',
  complete: 'card_complete',
  // A link button (the readiness page): Slack opens the URL and still sends the click, which is only acked.
  openReport: 'card_open_report',
  waiveDefect: 'defect_waive',
  // One per flaky test named on the card (unique within its actions block): `card_quarantine_<i>`; value = "milestoneId:caseId".
  quarantineFlaky: 'card_quarantine',
  openCard: 'home_open_card',
  scopePreview: 'scope_preview',
  // Built by the stale-run nudge message (src/messages/nudge-message.ts); value = run id.
  nudgeComplete: 'nudge_complete',
  nudgeAbort: 'nudge_abort',
  nudgeSnooze: 'nudge_snooze',
} as const;

export const VIEWS = {
  createMilestone: 'create_milestone',
  linkRun: 'link_run',
  scope: 'scope_milestone',
  reportDefect: 'report_defect',
  signOff: 'sign_off',
  complete: 'complete_milestone',
  waiveDefect: 'waive_defect',
  quarantineTest: 'quarantine_test',
} as const;

/** The flaky tests offered for quarantine on one card, at most (one button each). */
export const QUARANTINE_BUTTONS = 5;

/** The action id of the card's i-th Quarantine button. */
export function quarantineActionId(i: number): string {
  return `${ACTIONS.quarantineFlaky}_${i}`;
}
