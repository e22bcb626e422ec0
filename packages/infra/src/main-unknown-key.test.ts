import { describe, expect, it } from 'vitest';
import * as pulumi from '@pulumi/pulumi';
import { setEngineConfig } from './testing/engine-config.js';

// The real entry (main.ts) with Pulumi.prod.yaml and one key more, as `pulumi config set mailroute:monitorng ...`
// would leave it: the program must refuse it, not deploy monitoring's defaults (30-day logs) in its place.
// A file of its own: main.ts runs once per module registry, and this run creates nothing.
describe('main.ts (the program entry) with a key it does not read', () => {
  it('refuses the key before creating anything', async () => {
    setEngineConfig('prod', { 'mailroute:monitorng': JSON.stringify({ logRetentionDays: 731 }) });
    const created: string[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created.push(args.type);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      'mailroute',
      'prod',
      false,
    );
    await expect(import('./main.js')).rejects.toThrow(/^invalid stack config:\n {2}mailroute:monitorng: unknown key \(did you mean mailroute:monitoring\?\)$/);
    expect(created).toEqual([]);
  }, 60_000);
});
