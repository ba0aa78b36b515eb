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
} as const;
