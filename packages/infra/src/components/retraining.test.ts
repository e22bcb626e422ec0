import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, type StackConfig } from '../config.js';
import { policyStatements } from '../policies/graph.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from '../testing/pulumi-harness.js';
import { stackContext } from './common.js';
import { Retraining } from './retraining.js';

// The committed stacks leave the schedule off (stack-suite.ts); this one turns it on with a Lambda target.
const functionArn = 'arn:aws:lambda:eu-central-1:222222222222:function:mailroute-prod-retrain-starter';
let config: StackConfig;
let graph: RecordedResource[];
const inputsOf = (type: string) => graph.find((r) => r.type === type)?.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const prod = loadStackConfigFile('prod');
  config = parseStackConfig({ ...prod, retraining: { enabled: true, target: { kind: 'lambda', functionArn } } }, 'prod');
  ({ graph } = await runMocked(config, (rootOpts) => {
    new Retraining('retraining', { ...stackContext(config), kmsKeyArn: 'arn:aws:kms:eu-central-1:222222222222:key/k' }, rootOpts);
    return {};
  }));
}, 60_000);

describe('Retraining, turned on with a target', () => {
  it('schedules the target monthly and lets its role invoke only that function', () => {
    const s = inputsOf('aws:scheduler/schedule:Schedule');
    expect(s.state).toBe('ENABLED');
    expect(s.scheduleExpression).toBe('cron(0 3 1 * ? *)');
    expect(s.target.arn).toBe(functionArn);
    expect(JSON.parse(s.target.input)).toEqual({ source: 'mailroute.retraining', environment: 'prod' });
    const statements = policyStatements(inputsOf('aws:iam/rolePolicy:RolePolicy').policy);
    expect(statements.find((x) => x.Sid === 'InvokeRetraining')).toMatchObject({ Action: 'lambda:InvokeFunction', Resource: functionArn });
  });
});
