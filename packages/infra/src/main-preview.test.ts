import { afterAll, describe, expect, it } from 'vitest';
import * as pulumi from '@pulumi/pulumi';
import { setEngineConfig } from './testing/engine-config.js';

// The real entry (main.ts) as CI's preview of prod runs it: MAILROUTE_PULUMI_ROLE=preview and `pulumi preview`.
// A file of its own: main.ts runs once per module registry.
describe('main.ts (the program entry) in a read-only preview', () => {
  afterAll(() => {
    delete process.env.MAILROUTE_PULUMI_ROLE;
  });

  it('reads MAILROUTE_PULUMI_ROLE and has the provider assume the stack’s preview role', async () => {
    const config = setEngineConfig('prod');
    process.env.MAILROUTE_PULUMI_ROLE = 'preview';
    const providers: Record<string, unknown>[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (args.type === 'pulumi:providers:aws') providers.push(args.inputs);
          return { id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:aws:mock:::${args.name}`, name: args.inputs.name ?? args.name, apiEndpoint: 'https://api.example.com' } };
        },
        call: (args) => args.inputs,
      },
      'mailroute',
      'prod',
      true,
    );
    const program = (await import('./main.js')) as Record<string, pulumi.Output<unknown>>;
    await new Promise((resolve) => program.endpointName.apply(resolve));
    expect(providers).toHaveLength(1);
    // Provider inputs reach the engine JSON-encoded.
    expect(JSON.parse(String(providers[0].assumeRoles))).toEqual([{ roleArn: config['mailroute:previewRoleArn'], sessionName: 'pulumi-mailroute-prod-preview' }]);
    expect(config['mailroute:previewRoleArn']).toMatch(/^arn:aws:iam::222222222222:role\//);
  }, 60_000);
});
