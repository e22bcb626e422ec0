import { describe, expect, it } from 'vitest';
import type { StackConfig } from './config.js';
import { createAwsProvider, createProgram, pulumiRoleFrom } from './stack.js';
import { runPolicies } from './policies/rules.js';
import { T } from './policies/graph.js';
import { loadStackConfigFile, runMocked } from './testing/pulumi-harness.js';

// Which role the provider assumes: the deploy role, or for a read-only preview (MAILROUTE_PULUMI_ROLE=preview)
// the stack's preview role, never the deploy role in its place and never for an update.
const prod = loadStackConfigFile('prod');

/** The provider alone under mocks, run as `pulumi preview` or `pulumi up`; its assumeRoles. */
async function assumedBy(config: StackConfig, role: 'deploy' | 'preview' | undefined, preview: boolean) {
  const { graph } = await runMocked(config, (rootOpts) => ({ urn: createAwsProvider(config, { transformations: rootOpts.transformations }, role).urn }), { preview });
  return graph.find((r) => r.type === T.provider)!.inputs.assumeRoles;
}

describe('the provider’s role', () => {
  it('is the deploy role unless asked otherwise, in an update and a preview alike', async () => {
    expect(prod.previewRoleArn).toBeDefined();
    expect(await assumedBy(prod, undefined, false)).toEqual([{ roleArn: prod.deployRoleArn, sessionName: 'pulumi-mailroute-prod' }]);
    expect(await assumedBy(prod, 'deploy', true)).toEqual([{ roleArn: prod.deployRoleArn, sessionName: 'pulumi-mailroute-prod' }]);
  }, 60_000);

  it('is the preview role in a preview asked for it, and the whole program passes the policies so', async () => {
    const { graph } = await runMocked(prod, (rootOpts) => createProgram(prod, { lambdaDistDir: '/opt/dist', pulumiRole: 'preview' }, rootOpts).outputs, { preview: true });
    const provider = graph.filter((r) => r.type === T.provider);
    expect(provider).toHaveLength(1);
    expect(provider[0].inputs.assumeRoles).toEqual([{ roleArn: prod.previewRoleArn, sessionName: 'pulumi-mailroute-prod-preview' }]);
    expect(provider[0].inputs.allowedAccountIds).toEqual([prod.accountId]);
    expect(runPolicies(graph, { environment: 'prod', accountId: prod.accountId })).toEqual([]);
  }, 60_000);

  it('refuses the preview role in an update: it cannot deploy', async () => {
    await expect(assumedBy(prod, 'preview', false)).rejects.toThrow('MAILROUTE_PULUMI_ROLE=preview during an update: the preview role cannot deploy; unset MAILROUTE_PULUMI_ROLE for pulumi up');
  });

  it('refuses a preview asked for where the stack names no preview role, rather than using the deploy role', async () => {
    await expect(assumedBy({ ...prod, previewRoleArn: undefined }, 'preview', true)).rejects.toThrow('MAILROUTE_PULUMI_ROLE=preview, but mailroute:previewRoleArn is not set');
  });
});

describe('pulumiRoleFrom', () => {
  it('reads MAILROUTE_PULUMI_ROLE: unset or deploy is the deploy role, preview the preview role, anything else is refused', () => {
    expect(pulumiRoleFrom({})).toBe('deploy');
    expect(pulumiRoleFrom({ MAILROUTE_PULUMI_ROLE: 'deploy' })).toBe('deploy');
    expect(pulumiRoleFrom({ MAILROUTE_PULUMI_ROLE: 'preview' })).toBe('preview');
    expect(() => pulumiRoleFrom({ MAILROUTE_PULUMI_ROLE: 'read-only' })).toThrow(/^MAILROUTE_PULUMI_ROLE=read-only: set preview/);
  });
});
