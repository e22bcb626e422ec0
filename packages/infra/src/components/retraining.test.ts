import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, type StackConfig } from '../config.js';
import { policyStatements } from '../policies/graph.js';
import { API_LAMBDA_ENV } from '../lambda-env.js';
import { createProgram } from '../stack.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from '../testing/pulumi-harness.js';
import { createsRetrainingPipeline } from './retraining.js';

// The committed stacks leave the schedule off (stack-suite.ts); this one turns it on with a Lambda target (and keeps the
// emails' masked text for the feedback export, also off in both).
const functionArn = 'arn:aws:lambda:eu-central-1:222222222222:function:mailroute-prod-retrain-starter';
let config: StackConfig;
let graph: RecordedResource[];
const inputsOf = (type: string, name?: string) => graph.find((r) => r.type === type && (name === undefined || r.name === name))?.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const prod = loadStackConfigFile('prod');
  config = parseStackConfig({ ...prod, retraining: { enabled: true, target: { kind: 'lambda', functionArn } }, feedback: { ...(prod.feedback as object), storeText: true } }, 'prod');
  ({ graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs));
}, 60_000);

describe('Retraining, turned on with a Lambda target', () => {
  it('schedules the target monthly and lets its role invoke only that function', () => {
    const s = inputsOf('aws:scheduler/schedule:Schedule');
    expect(s.state).toBe('ENABLED');
    expect(s.scheduleExpression).toBe('cron(0 3 1 * ? *)');
    expect(s.target.arn).toBe(functionArn);
    expect(s.description).toBe('mailroute: starts the configured retraining target');
    expect(JSON.parse(s.target.input)).toEqual({ source: 'mailroute.retraining', environment: 'prod' });
    const statements = policyStatements(inputsOf('aws:iam/rolePolicy:RolePolicy', 'retraining-policy').policy);
    expect(statements.find((x) => x.Sid === 'InvokeRetraining')).toMatchObject({ Action: 'lambda:InvokeFunction', Resource: functionArn });
  });

  it('creates no pipeline and no register Lambda: the target is the stack owner’s', () => {
    expect(graph.filter((r) => r.type === 'aws:sagemaker/pipeline:Pipeline')).toEqual([]);
    expect(graph.filter((r) => r.type.startsWith('mailroute:ml:RetrainingPipeline'))).toEqual([]);
    expect(graph.filter((r) => r.name.startsWith('retraining-failed-runs'))).toEqual([]);
    expect(graph.filter((r) => r.type === 'aws:lambda/function:Function').map((r) => r.name).sort()).toEqual(['api-handler-function', 'deploy-on-approval-deployer-function', 'quality-reporter-function']);
  });
});

describe('feedback.storeText', () => {
  it("tells the API Lambda to keep each email's masked text (MAILROUTE_STORE_TEXT), for the feedback export", () => {
    expect(config.feedback.storeText).toBe(true);
    expect(inputsOf('aws:lambda/function:Function', 'api-handler-function').environment.variables[API_LAMBDA_ENV.storeText]).toBe('true');
  });
});

describe('createsRetrainingPipeline', () => {
  it('builds the default pipeline, named or not, and leaves a Lambda or another pipeline to its owner', () => {
    const prod = loadStackConfigFile('prod');
    const withTarget = (target?: object) => parseStackConfig({ ...prod, retraining: { target } }, 'prod');
    expect(createsRetrainingPipeline(withTarget())).toBe(true);
    expect(createsRetrainingPipeline(withTarget({ kind: 'sagemaker-pipeline', pipelineName: 'mailroute-prod-retrain' }))).toBe(true);
    expect(createsRetrainingPipeline(withTarget({ kind: 'sagemaker-pipeline', pipelineName: 'team-retrain' }))).toBe(false);
    expect(createsRetrainingPipeline(withTarget({ kind: 'lambda', functionArn }))).toBe(false);
  });
});
