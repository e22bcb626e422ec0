// Test-only: runs the program under pulumi.runtime.setMocks and returns the resource graph.
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../config.js';
import type { ResourceRecord } from '../policies/graph.js';

export { INFRA_ROOT, loadStackConfigFile } from './stack-files.js';

export interface RecordedResource extends ResourceRecord {
  parentName?: string;
  ignoreChanges?: string[];
}

/** Provider inputs arrive JSON-encoded under mocks; parse nested ones back into objects. */
function decodeProviderInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    out[k] = typeof v === 'string' && /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

async function settle(value: unknown): Promise<unknown> {
  if (value instanceof Promise) return settle(await value);
  if (Array.isArray(value)) return Promise.all(value.map(settle));
  if (value && typeof value === 'object') {
    if ((value as { __pulumiArchive?: boolean }).__pulumiArchive) return { archive: await (value as { path: Promise<string> }).path };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await settle(v);
    return out;
  }
  return value;
}

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}

/**
 * Sets mocks for `stack`, lets `build` create resources under a root that carries `rootOpts`
 * (a transformation recording every resource's options), waits until all registered, and returns them.
 * `preview: true` runs it as `pulumi preview` would (pulumi.runtime.isDryRun()), else as `pulumi up`.
 */
export async function runMocked(
  config: StackConfig,
  build: (rootOpts: pulumi.ComponentResourceOptions) => Record<string, pulumi.Input<unknown>>,
  { preview = false }: { preview?: boolean } = {},
): Promise<{ graph: RecordedResource[]; outputs: Record<string, unknown> }> {
  const byKey = new Map<string, RecordedResource>();
  const resources: pulumi.Resource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.type.startsWith('pulumi:providers:') ? decodeProviderInputs(args.inputs) : (args.inputs as Record<string, unknown>);
        const id = `${args.name}-id`;
        const key = `${args.type}::${args.name}`;
        byKey.set(key, { ...byKey.get(key), type: args.type, name: args.name, id, inputs });
        const arn = `arn:aws:mock:${config.region}:${config.accountId}:${args.name}`;
        return {
          id,
          state: {
            ...args.inputs,
            arn,
            name: args.inputs.name ?? args.name,
            bucket: args.inputs.bucket ?? args.name,
            keyId: `${args.name}-key-id`,
            invokeArn: `${arn}/invocations`,
            executionArn: `arn:aws:execute-api:${config.region}:${config.accountId}:${args.name}`,
            apiEndpoint: `https://${args.name}.execute-api.${config.region}.amazonaws.com`,
            repositoryUrl: `${config.accountId}.dkr.ecr.${config.region}.amazonaws.com/${args.inputs.name ?? args.name}`,
            prefixListId: `pl-${args.name}`,
            url: `https://sqs.${config.region}.amazonaws.com/${config.accountId}/${args.name}`,
            modelPackageGroupName: args.inputs.modelPackageGroupName ?? args.name,
            dashboardName: args.inputs.dashboardName ?? args.name,
          },
        };
      },
      call: (args) => args.inputs,
    },
    'mailroute',
    config.environment,
    preview,
  );
  const recorder: pulumi.ResourceTransformation = (args) => {
    resources.push(args.resource);
    const key = `${args.type}::${args.name}`;
    byKey.set(key, {
      ...(byKey.get(key) ?? { type: args.type, name: args.name, inputs: {} }),
      protect: args.opts.protect,
      retainOnDelete: args.opts.retainOnDelete,
      ignoreChanges: args.opts.ignoreChanges,
      parentName: (args.opts.parent as { __name?: string } | undefined)?.__name,
    });
    return undefined;
  };
  const outputs = build({ transformations: [recorder] });
  // Registration is asynchronous: wait until every resource seen so far has its URN, until no new ones appear.
  let seen = -1;
  while (seen !== resources.length) {
    seen = resources.length;
    await Promise.all(resources.map((r) => promiseOf(r.urn)));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Assets hold their path in a promise: settle them into plain data the policies (and clones) can read.
  for (const record of byKey.values()) record.inputs = (await settle(record.inputs)) as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) resolved[k] = await promiseOf(pulumi.output(v));
  return { graph: [...byKey.values()], outputs: resolved };
}
