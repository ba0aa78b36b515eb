// The command line's next steps after a lookup finds nothing: its own commands.
import type { LookupHints } from '../services/lookup-hints.js';

export const CLI_HINTS: LookupHints = {
  listMilestones: 'See them with `shipgate milestone list --status all`.',
  createProject: (key) => `Create it with \`shipgate project create ${key} <name>\`.`,
  pickProject: 'Say which with PROJECT/name or --project KEY.',
  listApiKeys: '`shipgate apikey list <KEY>` shows the ids.',
};
