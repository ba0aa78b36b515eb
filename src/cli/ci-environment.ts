// What `shipgate report` can learn from the CI system it runs in: a build id
// (so re-running the step reuses the same run), a run name and a link back.
// Pure: takes the environment as an argument.

export interface CiBuild {
  system: string;
  /** Identifies this build (and attempt), not the job: parallel jobs of one build share a run. */
  buildId: string;
  name: string;
  url: string | null;
}

export function detectCi(env: NodeJS.ProcessEnv): CiBuild | null {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    return {
      system: 'github',
      buildId: `github:${env.GITHUB_REPOSITORY ?? ''}:${env.GITHUB_RUN_ID}:${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
      name: `${env.GITHUB_WORKFLOW ?? 'GitHub Actions'} #${env.GITHUB_RUN_NUMBER ?? env.GITHUB_RUN_ID}`,
      url: env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : null,
    };
  }
  if (env.GITLAB_CI === 'true' && env.CI_PIPELINE_ID) {
    return {
      system: 'gitlab',
      buildId: `gitlab:${env.CI_PROJECT_PATH ?? ''}:${env.CI_PIPELINE_ID}`,
      name: `${env.CI_PROJECT_NAME ?? 'GitLab'} pipeline #${env.CI_PIPELINE_IID ?? env.CI_PIPELINE_ID}`,
      url: env.CI_PIPELINE_URL ?? null,
    };
  }
  if (env.CIRCLECI === 'true' && env.CIRCLE_WORKFLOW_ID) {
    return {
      system: 'circleci',
      buildId: `circleci:${env.CIRCLE_WORKFLOW_ID}`,
      name: `${env.CIRCLE_PROJECT_REPONAME ?? 'CircleCI'} #${env.CIRCLE_BUILD_NUM ?? env.CIRCLE_WORKFLOW_ID}`,
      url: env.CIRCLE_BUILD_URL ?? null,
    };
  }
  if (env.JENKINS_URL && env.BUILD_TAG) {
    return {
      system: 'jenkins',
      buildId: `jenkins:${env.BUILD_TAG}`,
      name: `${env.JOB_NAME ?? 'Jenkins'} #${env.BUILD_NUMBER ?? ''}`.trim(),
      url: env.BUILD_URL ?? null,
    };
  }
  return null;
}

/**
 * The externalId for a report: the given one, else the CI build id qualified by
 * milestone and environment (one build may report staging and production as
 * separate runs), else none — outside CI every report opens a new run.
 */
export function reportExternalId(
  given: string | undefined,
  ci: CiBuild | null,
  milestone: string,
  environment: string | undefined,
): string | undefined {
  if (given) return given;
  if (!ci) return undefined;
  return `${ci.buildId}:${milestone}:${environment ?? ''}`.slice(0, 300);
}

/** The run name: the given one, else the CI build's, else milestone, environment and the time (UTC, to the minute). */
export function reportRunName(
  given: string | undefined,
  ci: CiBuild | null,
  milestone: string,
  environment: string | undefined,
  now: Date,
): string {
  if (given) return given;
  if (ci) return ci.name;
  return `${milestone}${environment ? ` (${environment})` : ''} ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
