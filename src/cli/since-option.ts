// `--since <when>` for `shipgate check` and `shipgate digest`: lead with what
// changed since then. An ISO-8601 instant, or a time ago: 90m, 24h, 7d.
import { InvalidArgumentError, Option } from 'commander';

const AGO = /^(\d{1,5})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function sinceOption(): Option {
  return new Option(
    '--since <when>',
    'lead with what changed since then: a time ago (90m, 24h, 7d) or an ISO-8601 instant (2026-12-01T09:00:00Z)',
  ).argParser((value: string) => parseSince(value, new Date()));
}

/** The moment `--since` names; an InvalidArgumentError (exit 2) that says what works otherwise. */
export function parseSince(value: string, now: Date): Date {
  const text = value.trim();
  const ago = AGO.exec(text);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]);
  const at = ISO_INSTANT.test(text) ? new Date(text) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new InvalidArgumentError(
      `"${value}" is not a time ago or an instant: give minutes, hours or days ago (90m, 24h, 7d) or an ISO-8601 instant with its zone (2026-12-01T09:00:00Z).`,
    );
  if (at.getTime() > now.getTime()) throw new InvalidArgumentError(`${at.toISOString()} is in the future: give a moment before now.`);
  return at;
}
