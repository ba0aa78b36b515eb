// POST /jira/webhook: Jira tells Shipgate an issue changed. The raw body is
// checked against X-Hub-Signature before anything is parsed; a delivery is
// handled once per X-Atlassian-Webhook-Identifier (Jira retries); events
// older than what is stored are ignored inside applyIssueState.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { isUniqueViolation } from '../db/errors.js';
import { applyIssueState } from './apply-issue-state.js';
import { parseJiraDate, type JiraIssueSnapshot } from './jira-client.js';
import { jiraGateway, type JiraDeps } from './jira-deps.js';
import { isValidSignature } from './webhook-signature.js';

export const JIRA_WEBHOOK_PATH = '/jira/webhook';
const MAX_WEBHOOK_BYTES = 1024 * 1024;

const JiraWebhookEvent = z.object({
  webhookEvent: z.string(),
  timestamp: z.number().optional(),
  issue: z
    .object({
      key: z.string().min(1),
      self: z.string().optional(),
      fields: z
        .object({
          status: z.object({ name: z.string().optional(), statusCategory: z.object({ key: z.string().optional() }).optional() }).optional(),
          updated: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
type JiraWebhookEvent = z.infer<typeof JiraWebhookEvent>;

export type WebhookDeps = JiraDeps & Pick<AppDeps, 'now'>;

export function jiraWebhookHandlers(deps: WebhookDeps) {
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });
  const handle = async (req: Request, res: Response) => {
    const secret = deps.config.jira.webhookSecret;
    if (!secret) {
      deps.logger.error('Jira webhook refused: JIRA_WEBHOOK_SECRET is not set, so deliveries cannot be verified');
      res.status(503).json({
        error: {
          code: 'NOT_CONFIGURED',
          message: 'Set JIRA_WEBHOOK_SECRET (the secret of the Jira admin webhook) to accept Jira webhooks.',
        },
      });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!isValidSignature(secret, body, req.get('x-hub-signature'))) {
      deps.logger.warn({ hasSignature: Boolean(req.get('x-hub-signature')) }, 'Jira webhook with a missing or wrong signature refused');
      res.status(401).json({
        error: {
          code: 'UNAUTHENTICATED',
          message: 'X-Hub-Signature is missing or does not match the body signed with the webhook secret.',
        },
      });
      return;
    }
    let event: JiraWebhookEvent;
    try {
      const parsed = JiraWebhookEvent.safeParse(JSON.parse(body.toString('utf8')));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      event = parsed.data;
    } catch (err) {
      res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: `Not a Jira issue webhook: ${(err as Error).message}` } });
      return;
    }

    const deliveryId = req.get('x-atlassian-webhook-identifier')?.trim();
    if (deliveryId) {
      try {
        await deps.db.prisma.webhookDelivery.create({ data: { id: deliveryId, source: 'jira', receivedAt: deps.now() } });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        res.status(200).json({ ok: true, duplicate: true });
        return;
      }
    }
    try {
      const applied = await handleEvent(deps, event);
      res.status(200).json({ ok: true, ...applied });
    } catch (err) {
      // Forget the delivery so Jira's retry is handled rather than dropped as a duplicate.
      if (deliveryId) await deps.db.prisma.webhookDelivery.deleteMany({ where: { id: deliveryId } }).catch(() => undefined);
      deps.logger.error({ err, deliveryId }, 'Jira webhook failed; Jira will retry it');
      res
        .status(500)
        .json({ error: { code: 'INTERNAL', message: 'The event could not be applied; it has been logged and Jira will retry.' } });
    }
  };
  return [raw, handle] as const;
}

async function handleEvent(deps: WebhookDeps, event: JiraWebhookEvent): Promise<{ defects: number; updated: number; ignored?: string }> {
  const issue = event.issue;
  if (!issue) return { defects: 0, updated: 0, ignored: `no issue in ${event.webhookEvent}` };
  const defects = await deps.db.prisma.defect.findMany({ where: { jiraKey: issue.key }, select: { id: true, jiraUrl: true } });
  if (!defects.length) return { defects: 0, updated: 0, ignored: `no defect is linked to ${issue.key}` };
  const now = deps.now();

  if (event.webhookEvent === 'jira:issue_deleted') {
    // The issue is gone: drop the link so the defect stops claiming it; its own status stays as people set it.
    const cleared = await deps.db.prisma.defect.updateMany({
      where: { jiraKey: issue.key },
      data: { jiraKey: null, jiraStatus: null, jiraStatusCategory: null, jiraUrl: null, jiraUpdatedAt: null },
    });
    return { defects: defects.length, updated: cleared.count };
  }
  if (!event.webhookEvent.startsWith('jira:issue_')) return { defects: defects.length, updated: 0, ignored: event.webhookEvent };

  const snapshot: JiraIssueSnapshot = {
    key: issue.key,
    status: issue.fields?.status?.name ?? null,
    statusCategory: issue.fields?.status?.statusCategory?.key ?? null,
    // Jira's `updated` orders events; the delivery timestamp stands in when a payload lacks it.
    updated: parseJiraDate(issue.fields?.updated) ?? (event.timestamp ? new Date(event.timestamp) : null),
  };
  let updated = 0;
  for (const d of defects) {
    const url = jiraGateway(deps)?.issueUrl(issue.key) ?? d.jiraUrl ?? browseUrl(issue.self, issue.key);
    const r = await applyIssueState(deps, d.id, snapshot, now, { url });
    if (r.outcome === 'updated') updated++;
  }
  return { defects: defects.length, updated };
}

/** `https://x.atlassian.net/rest/api/3/issue/10001` → `https://x.atlassian.net/browse/KEY`. */
function browseUrl(self: string | undefined, key: string): string {
  try {
    return `${new URL(self ?? '').origin}/browse/${encodeURIComponent(key)}`;
  } catch {
    return `/browse/${encodeURIComponent(key)}`;
  }
}
