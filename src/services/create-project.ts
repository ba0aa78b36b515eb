// Creates a project in a workspace (CLI, Slack and tests all come through here).
import { AppError } from '../domain/errors.js';
import { projectKeyProblem } from '../domain/project-key.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ServiceDeps } from './service-deps.js';

export interface CreateProjectOptions {
  workspaceId: string;
  key: string;
  name: string;
  slackChannelId?: string | null;
}

export async function createProject(deps: ServiceDeps, options: CreateProjectOptions) {
  const key = options.key.trim();
  const name = options.name.trim();
  const keyProblem = projectKeyProblem(key);
  if (keyProblem) throw new AppError('VALIDATION_FAILED', keyProblem);
  if (!name) throw new AppError('VALIDATION_FAILED', 'A project needs a name, e.g. "Payments".');
  if (name.length > 200) throw new AppError('VALIDATION_FAILED', 'The project name is too long: keep it under 200 characters.');
  try {
    return await deps.db.prisma.project.create({
      data: { workspaceId: options.workspaceId, key, name, slackChannelId: options.slackChannelId ?? null },
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('CONFLICT', `A project with key ${key} already exists in this workspace; pick another key.`);
    }
    throw err;
  }
}
