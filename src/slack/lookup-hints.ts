// Slack's next steps after a lookup finds nothing: the /milestone commands
// that would help. The lookups themselves are the services' (resolve-*.ts).
import type { LookupHints } from '../services/lookup-hints.js';

export const SLACK_HINTS: LookupHints = {
  listMilestones: 'See them all with `/milestone list all`.',
  createProject: (key) => `Create it with \`/milestone project create ${key} <name>\`.`,
  pickProject: "Or set this channel's project with `/milestone project use <KEY>`.",
  listApiKeys: '`/milestone apikey list <KEY>` shows the ids.',
};
