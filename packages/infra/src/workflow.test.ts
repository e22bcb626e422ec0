import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INFRA_ROOT } from './testing/stack-files.js';

// .github/workflows/infra.yml, the CI that previews and deploys this program: which roles pull-request code gets,
// and what a prod `up` waiting for its reviewer holds up.
interface Job {
  if?: string;
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  strategy?: { matrix: { include: Record<string, string>[] } };
  steps: { uses?: string; with?: Record<string, unknown> }[];
}
const workflow = parse(readFileSync(path.join(INFRA_ROOT, '../../.github/workflows/infra.yml'), 'utf8')) as { concurrency?: unknown; jobs: Record<string, Job> };
const jobs = Object.entries(workflow.jobs);
const DEPLOY_ROLES = /AWS_(DEV|PROD)_CI_ROLE_ARN/;
const pulumiCommand = (job: Job) => job.steps.find((s) => s.uses?.startsWith('pulumi/actions'))?.with?.command;
const environmentsOf = (job: Job) => (job.environment === '${{ matrix.environment }}' ? job.strategy!.matrix.include.map((m) => m.environment) : [job.environment]);

describe('infra workflow', () => {
  it('previews pull requests with preview-only roles, outside the environments that deploy', () => {
    const previews = jobs.filter(([, job]) => job.if?.includes("github.event_name == 'pull_request'"));
    expect(previews.map(([name]) => name)).toEqual(['preview']);
    for (const [name, job] of previews) {
      expect(pulumiCommand(job), name).toBe('preview');
      expect(JSON.stringify(job), name).not.toMatch(DEPLOY_ROLES);
      expect(job.strategy!.matrix.include.map((m) => m.role)).toEqual(['AWS_DEV_PREVIEW_ROLE_ARN', 'AWS_PROD_PREVIEW_ROLE_ARN']);
      for (const environment of environmentsOf(job)) expect(['dev', 'prod'], `${name} runs in ${environment}`).not.toContain(environment);
    }
  });

  it('names a deploy role only in the up jobs, on a push to main, in the dev and prod environments', () => {
    const deploying = jobs.filter(([, job]) => DEPLOY_ROLES.test(JSON.stringify(job)));
    expect(deploying.map(([name, job]) => [name, job.environment, pulumiCommand(job)])).toEqual([
      ['up-dev', 'dev', 'up'],
      ['up-prod', 'prod', 'up'],
    ]);
    for (const [, job] of deploying) expect(job.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
  });

  it("holds each stack's updates in a group of its own, so a prod approval does not hold up dev", () => {
    expect(workflow.concurrency).toBeUndefined();
    expect(workflow.jobs['up-dev'].concurrency).toEqual({ group: 'infra-dev', 'cancel-in-progress': false });
    expect(workflow.jobs['up-prod'].concurrency).toEqual({ group: 'infra-prod', 'cancel-in-progress': false });
    expect(workflow.jobs['preview-prod'].concurrency?.group).toBe('infra-prod');
  });
});
