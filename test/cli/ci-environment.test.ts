// What `shipgate report` derives from the CI environment.
import { describe, expect, it } from 'vitest';
import { detectCi, reportExternalId, reportRunName } from '../../src/cli/ci-environment.js';
import { parseAllow } from '../../src/cli/check-milestone.js';

describe('detectCi', () => {
  it('reads GitHub Actions, GitLab, CircleCI and Jenkins, and nothing elsewhere', () => {
    expect(
      detectCi({
        GITHUB_ACTIONS: 'true',
        GITHUB_RUN_ID: '7',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_RUN_NUMBER: '31',
        GITHUB_WORKFLOW: 'tests',
        GITHUB_REPOSITORY: 'acme/pay',
      }),
    ).toEqual({
      system: 'github',
      buildId: 'github:acme/pay:7:2',
      name: 'tests #31',
      url: 'https://github.com/acme/pay/actions/runs/7',
    });
    expect(
      detectCi({
        GITLAB_CI: 'true',
        CI_PIPELINE_ID: '900',
        CI_PIPELINE_IID: '12',
        CI_PROJECT_PATH: 'acme/pay',
        CI_PROJECT_NAME: 'pay',
        CI_PIPELINE_URL: 'https://gitlab.example/p/900',
      }),
    ).toMatchObject({
      buildId: 'gitlab:acme/pay:900',
      name: 'pay pipeline #12',
      url: 'https://gitlab.example/p/900',
    });
    expect(detectCi({ CIRCLECI: 'true', CIRCLE_WORKFLOW_ID: 'wf', CIRCLE_BUILD_NUM: '5' })?.buildId).toBe('circleci:wf');
    expect(detectCi({ JENKINS_URL: 'https://ci', BUILD_TAG: 'jenkins-pay-8', JOB_NAME: 'pay', BUILD_NUMBER: '8' })).toMatchObject({
      buildId: 'jenkins:jenkins-pay-8',
      name: 'pay #8',
    });
    expect(detectCi({ CI: 'true' })).toBeNull();
  });

  it('derives an externalId per build, milestone and environment, and a readable run name', () => {
    const ci = detectCi({
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '7',
      GITHUB_REPOSITORY: 'acme/pay',
      GITHUB_WORKFLOW: 'tests',
      GITHUB_RUN_NUMBER: '31',
    });
    expect(reportExternalId(undefined, ci, '2.4', 'staging')).toBe('github:acme/pay:7:1:2.4:staging');
    expect(reportExternalId('given', ci, '2.4', 'staging')).toBe('given');
    expect(reportExternalId(undefined, null, '2.4', 'staging')).toBeUndefined();
    const now = new Date('2026-11-22T09:30:12Z');
    expect(reportRunName(undefined, ci, '2.4', 'staging', now)).toBe('tests #31');
    expect(reportRunName(undefined, null, '2.4', 'staging', now)).toBe('2.4 (staging) 2026-11-22 09:30 UTC');
    expect(reportRunName('nightly', ci, '2.4', undefined, now)).toBe('nightly');
  });
});

describe('parseAllow', () => {
  it('accepts repeated and comma-separated verdicts in any case, and refuses unknown ones', () => {
    expect(parseAllow(['GO_WITH_RISKS', 'insufficient-evidence,no_go'])).toEqual(['GO_WITH_RISKS', 'INSUFFICIENT_EVIDENCE', 'NO_GO']);
    expect(parseAllow([])).toEqual([]);
    expect(() => parseAllow(['SOMETIMES'])).toThrow(/SOMETIMES is not a verdict/);
  });
});
