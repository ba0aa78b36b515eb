// Signed, expiring links to one milestone's readiness page, and the public
// badge's addresses. A link is signed with its project's link secret (made on
// the project's first link); replacing the secret revokes every link of the
// project at once. The card's Open report button and `shipgate milestone show
// --link` issue links; the page route opens them.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import { isGenuine, readLinkToken, signLinkToken } from '../domain/link-token.js';
import type { ServiceDeps } from './service-deps.js';

/** Where the pages live on the server: `/m/<token>`. */
export const PAGE_PATH = '/m/';

export interface PageLinkSettings {
  /** The server's public address, without a trailing slash. */
  publicUrl: string;
  lifetimeMs: number;
}

/** The settings links are made with, or null when PUBLIC_URL is not set (then no link is offered). */
export function pageLinkSettings(config: Pick<Config, 'pages'>): PageLinkSettings | null {
  const { publicUrl, linkLifetimeMs } = config.pages;
  return publicUrl ? { publicUrl, lifetimeMs: linkLifetimeMs } : null;
}

export interface MilestoneLink {
  url: string;
  expiresAt: string;
}

export async function issueMilestoneLink(
  deps: ServiceDeps,
  options: { milestoneId: string; settings: PageLinkSettings },
): Promise<MilestoneLink> {
  const milestone = await deps.db.prisma.milestone.findUniqueOrThrow({ where: { id: options.milestoneId }, select: { projectId: true } });
  const secret = await linkSecretOf(deps, milestone.projectId);
  const expiresAt = new Date(deps.now().getTime() + options.settings.lifetimeMs);
  const token = signLinkToken(secret, options.milestoneId, expiresAt);
  return { url: `${options.settings.publicUrl}${PAGE_PATH}${token}`, expiresAt: expiresAt.toISOString() };
}

/** Why a link does not open: `expired` only for a genuine link past its time; anything else is `invalid`. */
export type LinkRefusal = { reason: 'invalid' } | { reason: 'expired'; expiredAt: string };

/**
 * The milestone a link opens, or a FORBIDDEN AppError whose details say why
 * (LinkRefusal). An unknown milestone, a project without a secret, an altered
 * token and a revoked one all read alike: the holder learns nothing from which.
 */
export async function openMilestoneLink(deps: ServiceDeps, token: string): Promise<{ milestoneId: string; expiresAt: string }> {
  const refuse = (refusal: LinkRefusal) =>
    new AppError(
      'FORBIDDEN',
      refusal.reason === 'expired'
        ? `This link expired at ${refusal.expiredAt}; ask for a new one.`
        : 'This link is not valid: it was altered, or its project revoked its links.',
      refusal,
    );
  const claim = readLinkToken(token);
  if (!claim) throw refuse({ reason: 'invalid' });
  const milestone = await deps.db.prisma.milestone.findUnique({
    where: { id: claim.milestoneId },
    select: { project: { select: { linkSecret: true } } },
  });
  const secret = milestone?.project.linkSecret;
  if (!secret || !isGenuine(secret, claim)) throw refuse({ reason: 'invalid' });
  if (claim.expiresAt.getTime() <= deps.now().getTime()) throw refuse({ reason: 'expired', expiredAt: claim.expiresAt.toISOString() });
  return { milestoneId: claim.milestoneId, expiresAt: claim.expiresAt.toISOString() };
}

/** Replaces the project's link secret: every link issued for it so far stops opening. */
export async function rotateLinkSecret(deps: ServiceDeps, options: { projectId: string }): Promise<void> {
  await deps.db.prisma.project.update({ where: { id: options.projectId }, data: { linkSecret: newSecret() } });
}

/** The badge's two addresses for a milestone (the SVG and shields.io's endpoint JSON). */
export function badgeUrls(publicUrl: string, projectKey: string, milestoneName: string): { svg: string; json: string } {
  const base = `${publicUrl}/badge/${encodeURIComponent(projectKey)}/${encodeURIComponent(milestoneName)}`;
  return { svg: `${base}.svg`, json: `${base}.json` };
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The project's secret, made on first use; of two made at once, the first written is kept. */
async function linkSecretOf(deps: ServiceDeps, projectId: string): Promise<string> {
  const prisma = deps.db.prisma;
  const found = await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { linkSecret: true } });
  if (found.linkSecret) return found.linkSecret;
  await prisma.project.updateMany({ where: { id: projectId, linkSecret: null }, data: { linkSecret: newSecret() } });
  const made = await prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { linkSecret: true } });
  return made.linkSecret!;
}
