// The REST API's request shapes, validated at the edge and turned into the
// OpenAPI document (one definition, never written twice). Objects are strict:
// an unknown field is an error that names it.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../domain/input-limits.js';
import { JIRA_PROJECT_KEY_PATTERN } from '../domain/jira-keys.js';
import { NAME_MAX_BYTES, caseKey } from '../junit/index.js';
import { TESTS_PAGE_DEFAULT, TESTS_PAGE_MAX } from '../services/list-milestone-tests.js';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from '../services/list-audit-trail.js';
import { ACTOR_TYPES, AUDIT_KINDS } from '../domain/audit.js';
import { MAX_APPROVERS } from '../domain/approvers.js';
import { isOwnerId, MAX_OWNER_PATTERN_LENGTH, MAX_OWNER_RULES, MAX_OWNERS_PER_RULE } from '../domain/owners.js';
import { RESULT_STATUSES, SEVERITIES, DEFECT_STATUSES, MILESTONE_STATUSES, RUN_STATUSES } from '../domain/types.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** The largest value of an integer column (PostgreSQL `integer`); larger numbers would fail in the database. */
export const INT_COLUMN_MAX = 2_147_483_647;
const wholeNumber = (min: number, max = INT_COLUMN_MAX) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const NAME_TOO_LONG = `must be at most ${NAME_MAX_BYTES} bytes in UTF-8 (${NAME_MAX_BYTES} ASCII characters, fewer in other scripts): case keys are indexed`;
/** A test case's key or title: kept whole, so it is limited in bytes (the key is in a unique index). */
const caseName = () => text(NAME_MAX_BYTES).refine((s) => utf8Bytes(s) <= NAME_MAX_BYTES, { error: NAME_TOO_LONG });

export const GateInput = z
  .strictObject({
    passRateThreshold: z.number().min(0).max(1).optional(),
    blockingSeverities: z.array(z.enum(SEVERITIES)).optional(),
    requiredEnvironments: z.array(text(L.environmentName)).max(20).optional(),
    requiredSignoffs: wholeNumber(0, 50).optional(),
    minExecuted: wholeNumber(0).optional(),
    minCoverage: z.number().min(0).max(1).optional(),
  })
  .meta({ description: 'Gate policy overrides; unset keys inherit the project default.' });

export const ScopeInput = z.strictObject({
  include: z
    .array(text(L.scopePattern))
    .max(1000)
    .meta({ description: 'Exact case keys or globs over case keys and suites, e.g. checkout::*' }),
});

export const MilestoneInput = z.strictObject({
  name: text(L.milestoneName),
  description: z.string().max(L.milestoneDescription).nullish(),
  dueDate: z.string().nullish().meta({ description: 'YYYY-MM-DD (end of that day in the milestone time zone) or an ISO-8601 instant' }),
  status: z.enum(MILESTONE_STATUSES).optional(),
  timeZone: z.string().optional(),
  scope: ScopeInput.nullish(),
  gate: GateInput.optional(),
  slackChannelId: z.string().nullish(),
});

export const MilestonePatch = z.strictObject({
  name: text(L.milestoneName).optional(),
  description: z.string().max(L.milestoneDescription).nullish(),
  dueDate: z.string().nullish(),
  status: z.enum(MILESTONE_STATUSES).optional(),
  overrideReason: z
    .string()
    .max(L.overrideReason)
    .optional()
    .meta({ description: 'Required to complete a milestone whose verdict is not GO or GO_WITH_RISKS' }),
  timeZone: z.string().optional(),
  scope: ScopeInput.nullish(),
  gate: GateInput.optional(),
  slackChannelId: z.string().nullish(),
});

export const MilestoneListQuery = z.strictObject({ status: z.enum(MILESTONE_STATUSES).optional() });

/** GET …/milestones/{milestoneId}/tests: filters and paging, as query strings. */
export const ReadinessQuery = z.strictObject({
  since: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 instant such as 2026-12-01T09:00:00Z' })
    .transform((v) => new Date(v))
    .optional()
    .meta({
      description: 'Adds `changes`: what changed since this moment (newly failing and passing tests, defects, reasons, verdict then)',
    }),
});

export const MilestoneTestsQuery = z.strictObject({
  status: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
      z.enum(RESULT_STATUSES, { error: `must be one of ${RESULT_STATUSES.join(', ')}` }),
    )
    .optional()
    .meta({ description: 'Only tests whose current status is this one (any case)' }),
  environment: text(L.environmentName)
    .optional()
    .meta({ description: 'Only this environment, by exact name ("default" for runs without one)' }),
  flaky: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .meta({
      description:
        'true: only tests whose current result passed after failing first, or that are flaky across runs (flakiness.flaky); false: only the others',
    }),
  regression: z
    .enum(['new', 'still'], { error: 'must be new (failing now, passed in its previous result) or still (failing now and before)' })
    .optional()
    .meta({ description: 'new: only tests failing now that passed in their previous result; still: only tests failing now and before' }),
  cursor: z.string().max(2000).optional().meta({ description: 'The nextCursor of the previous page; leave out for the first page' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, { error: `must be a whole number from 1 to ${TESTS_PAGE_MAX}` })
    .transform(Number)
    .pipe(z.number().min(1, `must be a whole number from 1 to ${TESTS_PAGE_MAX}`).max(TESTS_PAGE_MAX, `must be at most ${TESTS_PAGE_MAX}`))
    .optional()
    .meta({ description: `Tests per page, 1 to ${TESTS_PAGE_MAX} (default ${TESTS_PAGE_DEFAULT})` }),
});

export const RunInput = z.strictObject({
  name: text(L.runName),
  milestoneId: z.string().optional(),
  milestone: text(L.milestoneName).optional().meta({ description: 'Milestone name; must exist unless createMilestone is true' }),
  createMilestone: z
    .boolean()
    .optional()
    .meta({ description: 'Create the milestone named by "milestone" (ACTIVE) when it does not exist; without it, 404 with close matches' }),
  environmentId: z.string().optional(),
  environment: text(L.environmentName).optional().meta({ description: 'Environment name; created on first use' }),
  status: z.enum(RUN_STATUSES).optional(),
  externalId: text(L.externalId).optional().meta({ description: 'CI build id: the same id returns the same run' }),
  url: z.url().optional(),
});

export const RunPatch = z.strictObject({ status: z.enum(RUN_STATUSES) });

export const ResultInput = z
  .strictObject({
    key: caseName()
      .optional()
      .meta({ description: `Stable case key; defaults to "suite::title" (or title); at most ${NAME_MAX_BYTES} bytes in UTF-8` }),
    title: caseName().meta({ description: `At most ${NAME_MAX_BYTES} bytes in UTF-8` }),
    suite: z.string().max(1000).nullish(),
    status: z.enum(RESULT_STATUSES),
    durationMs: wholeNumber(0).nullish(),
    message: z.string().max(10_000).nullish(),
    attempts: wholeNumber(1, 100).optional(),
    flaky: z.boolean().optional(),
    critical: z.boolean().optional(),
  })
  .refine((r) => r.key !== undefined || utf8Bytes(caseKey(r.suite ?? null, r.title)) <= NAME_MAX_BYTES, {
    error: `the key made of suite and title ("suite::title") ${NAME_TOO_LONG}; send a shorter "key"`,
  });

export const ResultsInput = z.strictObject({
  results: z
    .array(ResultInput)
    .min(1, 'send at least one result')
    .max(10_000, 'send at most 10,000 results per request; split larger uploads'),
});

// The same on reporting a defect and afterwards (PATCH), so a refused link can be replaced.
const DefectJiraInput = z
  .union([z.strictObject({ create: z.literal(true) }), z.strictObject({ key: text(L.jiraKey) })])
  .meta({ description: 'Create a Jira issue for the defect, or link an existing one by key (e.g. PAY-123)' });

export const DefectInput = z.strictObject({
  title: text(L.defectTitle),
  severity: z.enum(SEVERITIES),
  description: z.string().max(L.defectDescription).nullish(),
  milestoneId: z.string().optional(),
  milestone: z.string().optional(),
  testKey: caseName()
    .optional()
    .meta({ description: `The failing test's case key; at most ${NAME_MAX_BYTES} bytes in UTF-8` }),
  jira: DefectJiraInput.optional(),
});

export const DefectPatch = z.strictObject({
  status: z.enum(DEFECT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  title: text(L.defectTitle).optional(),
  waiver: z
    .strictObject({ reason: text(L.waiverReason), until: z.string().meta({ description: 'ISO-8601 instant when the waiver expires' }) })
    .optional(),
  jira: DefectJiraInput.optional(),
});

/** POST …/quarantine: quarantine a project's test case (SPEC §10). */
export const QuarantineInput = z.strictObject({
  caseKey: caseName().meta({ description: "The test case's key, exactly as results name it (for JUnit, classname::name)" }),
  reason: text(L.quarantineReason).meta({ description: 'Why its failures may be left out of the pass rate for now' }),
  until: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').meta({
    description:
      "When it ends: YYYY-MM-DD (the end of that day in the project's time zone) or an ISO-8601 instant with an offset; must be in the future",
  }),
});

/** A quarantine, as GET, POST and DELETE …/quarantine answer it. */
export const QuarantineBody = z.object({
  id: z.string(),
  caseKey: z.string(),
  title: z.string(),
  critical: z.boolean().meta({ description: 'A case made critical after it was quarantined: its failures count again' }),
  reason: z.string(),
  until: z.iso.datetime(),
  by: z.string().meta({ description: 'Who quarantined it: a Slack user id, api (an API key) or cli' }),
  at: z.iso.datetime(),
  inForce: z.boolean().meta({ description: 'Its failures are left out now: not expired and the case not critical' }),
});

export const QuarantineList = z.object({ quarantines: z.array(QuarantineBody) });

export const DefectListQuery = z.strictObject({ milestoneId: z.string().optional(), status: z.enum(DEFECT_STATUSES).optional() });

export const ProjectPatch = z.strictObject({
  name: text(200).optional(),
  slackChannelId: z.string().nullish(),
  timeZone: z.string().optional(),
  gate: GateInput.optional(),
  approvers: z.array(z.string().max(40)).max(MAX_APPROVERS).nullish().meta({
    description:
      'Slack user ids (U…, W…) and user group ids (S…) who alone may change the gate or scope, waive, complete against the gate and sign off in Slack; [] or null: anyone in the workspace may',
  }),
  jira: z
    .strictObject({
      projectKey: z.string().regex(JIRA_PROJECT_KEY_PATTERN, 'must be a Jira project key such as PAY').nullish(),
      issueType: z.string().max(100).nullish(),
      priorities: z.partialRecord(z.enum(SEVERITIES), z.string().max(100)).optional(),
      labels: z.array(z.string().regex(/^\S+$/, 'Jira labels cannot contain spaces').max(255)).max(20).optional(),
    })
    .optional(),
  badgeEnabled: z
    .boolean()
    .optional()
    .meta({ description: 'Serve the public badge, GET /badge/{project}/{milestone}.svg and .json; off by default' }),
});

const OWNER_ID = 'must be a Slack user id (U… or W…) or user group id (S…), e.g. U024BE7LH or S0614TZR7';

/** One owner rule: a pattern over case keys and suites (as a scope's), and the Slack users and groups who own its tests. */
export const OwnerRuleInput = z.strictObject({
  pattern: z
    .string()
    .min(1, 'must not be empty: give a case key such as checkout::pays-by-card, or a pattern such as checkout::*')
    .max(MAX_OWNER_PATTERN_LENGTH, `must be at most ${MAX_OWNER_PATTERN_LENGTH} characters; use * for the varying part`)
    .refine((s) => s === s.trim(), { error: 'must not start or end with a space' })
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), {
      error: 'must not hold a control character (a tab or line break); use ? for one character',
    })
    .meta({
      description:
        'A case key, or a glob (* any run of characters, ? one) matched against the case key or the suite, as a milestone scope is',
    }),
  owners: z
    .array(z.string().max(40).refine(isOwnerId, { error: OWNER_ID }))
    .max(MAX_OWNERS_PER_RULE, `must name at most ${MAX_OWNERS_PER_RULE} owners; name a user group for more people`)
    .meta({ description: 'Slack user ids (U…, W…) and user group ids (S…); [] makes the matching tests unowned' }),
});

/** The body of PUT …/owners: the whole ordered list; the LAST rule that matches a case wins, as in CODEOWNERS. */
export const OwnerRulesInput = z.strictObject({
  rules: z
    .array(OwnerRuleInput)
    .max(MAX_OWNER_RULES, `must hold at most ${MAX_OWNER_RULES} rules; use * to cover many cases in one rule`)
    .meta({ description: 'In order: the last rule that matches a case names its owners (as in CODEOWNERS); [] removes every rule' }),
});

/** The answer of GET and PUT …/owners. */
export const OwnerRulesView = z.object({
  rules: z.array(z.object({ pattern: z.string(), owners: z.array(z.string()) })),
});

const RunRef = z.object({ id: z.string(), name: z.string(), url: z.string().nullable(), startedAt: z.iso.datetime() });

/** The answer of GET …/milestones/{milestoneId}/tests. */
export const MilestoneTestsPage = z.object({
  tests: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      suite: z.string().nullable(),
      environment: z.string(),
      status: z.enum(RESULT_STATUSES),
      message: z.string().nullable(),
      flaky: z.boolean().meta({ description: 'The current result passed only after failing first (a retry within its run)' }),
      flakiness: z.object({ flipRate: z.number(), flips: z.number().int(), flaky: z.boolean() }).meta({
        description:
          "Over its last 20 passed or failed results across the milestone's runs: status changes between consecutive results (flips), flips per transition (flipRate), flaky at a rate of 0.2 or more with at least 2 flips",
      }),
      critical: z.boolean(),
      regression: z.enum(['new', 'still']).nullable().meta({
        description:
          'For a failing test: new when its previous result passed (newly failing), still when it failed too (failing since the since run); null otherwise, and for a failure with nothing to compare with (its first result, or one after a skipped or blocked result)',
      }),
      owners: z.array(z.string()).meta({
        description:
          "Slack user and user group ids owning the test's case: those of the project's last owner rule matching its key or suite; [] when none",
      }),
      quarantine: z.object({ reason: z.string(), until: z.iso.datetime(), by: z.string() }).nullable().meta({
        description:
          'The case’s quarantine while it is in force (not expired, the case not critical): a failure is then left out of the pass rate; null otherwise. by: who quarantined it (a Slack user id, api or cli)',
      }),
      since: RunRef.meta({ description: 'The run where this status began: the oldest of the unbroken streak of results with it' }),
      latestRun: RunRef.meta({ description: 'The run the current result came from' }),
    }),
  ),
  total: z.number().int().meta({ description: 'How many tests the filters select, over all pages' }),
  nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last page' }),
});

export const AuditQuery = z.strictObject({
  cursor: z.string().max(2000).optional().meta({ description: 'The nextCursor of the previous page; leave out for the first page' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, { error: `must be a whole number from 1 to ${AUDIT_PAGE_MAX}` })
    .transform(Number)
    .pipe(z.number().min(1, `must be a whole number from 1 to ${AUDIT_PAGE_MAX}`).max(AUDIT_PAGE_MAX, `must be at most ${AUDIT_PAGE_MAX}`))
    .optional()
    .meta({ description: `Entries per page, 1 to ${AUDIT_PAGE_MAX} (default ${AUDIT_PAGE_DEFAULT})` }),
});

const AuditFieldsBody = z.record(z.string(), z.unknown());

export const AuditPage = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(AUDIT_KINDS).meta({ description: 'What changed: a gate, a scope, a due date, a status, a waiver, a sign-off, …' }),
      projectId: z.string(),
      milestoneId: z.string().nullable(),
      defectId: z.string().nullable(),
      actor: z
        .object({
          type: z.enum(ACTOR_TYPES as [string, ...string[]]),
          id: z.string(),
          name: z.string().nullable(),
          team: z.string().nullable(),
        })
        .meta({
          description:
            'Who: slack (id: the Slack user, team: their Slack team), api-key (id and name of the key), jira (a webhook or reconcile), local (the CLI operator; name: the OS user)',
        }),
      before: AuditFieldsBody.meta({ description: 'Just the fields that changed, as they were (null: not set)' }),
      after: AuditFieldsBody.meta({ description: 'The same fields, as they became' }),
      at: z.string().meta({ description: 'When, ISO-8601' }),
    }),
  ),
  nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next (older) page; null on the last page' }),
});

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
