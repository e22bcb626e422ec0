import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, type StackConfig } from '../config.js';
import { runPolicies } from '../policies/rules.js';
import { T } from '../policies/graph.js';
import { createProgram } from '../stack.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from '../testing/pulumi-harness.js';

// The committed stacks serve on EBS-backed types (stack-suite.ts); this one serves on a type with local NVMe
// storage, whose endpoint config SageMaker refuses with a KmsKeyId (it encrypts that storage itself).
let config: StackConfig;
let graph: RecordedResource[];
const endpointConfig = () => graph.find((r) => r.type === T.endpointConfig)!.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const prod = loadStackConfigFile('prod');
  config = parseStackConfig({ ...prod, serving: { ...prod.serving, instanceType: 'ml.g5.xlarge' } }, 'prod');
  ({ graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs));
}, 60_000);

describe('ServingEndpoint on an instance type with local NVMe storage', () => {
  it('gives the bootstrap endpoint config no KMS key, and the policies accept that', () => {
    expect(endpointConfig().productionVariants[0].instanceType).toBe('ml.g5.xlarge');
    expect(endpointConfig()).not.toHaveProperty('kmsKeyArn');
    expect(runPolicies(graph, { environment: 'prod', accountId: config.accountId })).toEqual([]);
  });

  it('still wants the key on an EBS-backed type', () => {
    const ebs = structuredClone(graph);
    ebs.find((r) => r.type === T.endpointConfig)!.inputs.productionVariants = [{ ...endpointConfig().productionVariants[0], instanceType: 'ml.c6i.large' }];
    expect(runPolicies(ebs, { environment: 'prod', accountId: config.accountId }).map((v) => v.message)).toEqual(['endpoint config without kmsKeyArn']);
  });
});
