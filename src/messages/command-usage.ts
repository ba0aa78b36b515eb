// The right form of each `/milestone` subcommand: shown in help and beside every
// input mistake. Text only; the parser (src/slack/command-parser.ts) refers to it.

/** The right form of each subcommand, shown with every mistake. */
export const USAGE = {
  help: '/milestone help',
  create: '/milestone create [name]',
  list: '/milestone list [PROJECT] [all]',
  status: '/milestone status <PROJECT/name or name>',
  link: '/milestone link <milestone>',
  scope: '/milestone scope <milestone>',
  defect: '/milestone defect <milestone>',
  signoff: '/milestone signoff <milestone>',
  complete: '/milestone complete <milestone>',
  reopen: '/milestone reopen <milestone>',
  archive: '/milestone archive <milestone>',
  subscribe: '/milestone subscribe <PROJECT or milestone> [HH:MM] [time zone] [daily|weekdays]',
  subscriptions: '/milestone subscribe',
  unsubscribe: '/milestone unsubscribe <PROJECT or milestone>',
  'project create': '/milestone project create <KEY> <name>',
  'project jira': '/milestone project jira <KEY> <JIRA-PROJECT-KEY>',
  'project use': '/milestone project use <KEY>',
  'apikey create': '/milestone apikey create <KEY> [report|read|admin]',
  'apikey list': '/milestone apikey list <KEY>',
  'apikey revoke': '/milestone apikey revoke <id>',
  approvers: '/milestone approvers <KEY> [@person @group … | clear]',
  owners: '/milestone owners <KEY> [<pattern> @person @group … | remove <pattern> | clear]',
  quarantine: '/milestone quarantine <KEY> [<case key> <until YYYY-MM-DD> <reason>]',
  unquarantine: '/milestone unquarantine <KEY> <case key>',
  threads: '/milestone threads [on|off]',
} as const;
