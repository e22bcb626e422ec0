import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, type StackConfig } from '../config.js';
import { policyStatements } from '../policies/graph.js';
import { runPolicies } from '../policies/rules.js';
import { createProgram } from '../stack.js';
import { exportsFeedback } from './retraining-pipeline.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from '../testing/pulumi-harness.js';

// The committed stacks create the pipeline but leave its schedule off; this one turns it on, default target.
let config: StackConfig;
let graph: RecordedResource[];
let outputs: Record<string, unknown>;
const one = (type: string, name: string) => graph.find((r) => r.type === type && r.name === name)?.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  config = parseStackConfig({ ...loadStackConfigFile('dev'), retraining: { enabled: true } }, 'dev');
  ({ graph, outputs } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs));
}, 60_000);

describe('Retraining turned on with the default target', () => {
  it('starts the pipeline the stack created, monthly, passing the environment', () => {
    const schedule = one('aws:scheduler/schedule:Schedule', 'retraining-schedule');
    const pipelineArn = 'arn:aws:mock:eu-central-1:111111111111:retraining-pipeline-pipeline';
    expect(schedule.state).toBe('ENABLED');
    // The console shows this: the pipeline trains on the exports folder, not on the feedback table.
    expect(schedule.description).toBe('mailroute: starts the retraining pipeline (trains on the CRM exports under s3://<artifact bucket>/data/retraining/exports/)');
    expect(schedule.target.arn).toBe(pipelineArn);
    expect(schedule.target.sagemakerPipelineParameters.pipelineParameters).toEqual([{ name: 'Environment', value: 'dev' }]);
    // Every parameter the schedule passes is one the pipeline declares (StartPipelineExecution refuses others).
    const declared = JSON.parse(one('aws:sagemaker/pipeline:Pipeline', 'retraining-pipeline-pipeline').pipelineDefinition).Parameters.map((p: { Name: string }) => p.Name);
    for (const p of schedule.target.sagemakerPipelineParameters.pipelineParameters) expect(declared).toContain(p.name);
    const start = policyStatements(one('aws:iam/rolePolicy:RolePolicy', 'retraining-policy').policy).find((s) => s.Sid === 'StartRetrainingPipeline');
    expect(start).toMatchObject({ Action: 'sagemaker:StartPipelineExecution', Resource: pipelineArn });
    expect(outputs.retrainingPipeline).toBe('mailroute-dev-retrain');
  });

  it('passes every policy', () => {
    expect(runPolicies(graph, { environment: 'dev', accountId: config.accountId })).toEqual([]);
  });
});

describe('Retraining with the feedback export (feedback.storeText), default target', () => {
  let kept: RecordedResource[];
  const inputsOf = (type: string, name: string) => kept.find((r) => r.type === type && r.name === name)?.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    const withText = parseStackConfig({ ...loadStackConfigFile('dev'), retraining: { enabled: true }, feedback: { storeText: true } }, 'dev');
    ({ graph: kept } = await runMocked(withText, (rootOpts) => createProgram(withText, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs));
  }, 60_000);

  it('runs the export Lambda before Train, which the pipeline may invoke and which reads the table and writes only its file', () => {
    const fn = inputsOf('aws:lambda/function:Function', 'retraining-pipeline-export-feedback-function');
    expect(fn.name).toBe('mailroute-dev-export-feedback');
    expect(fn.code).toEqual({ archive: '/opt/mailroute/dist/export-feedback' });
    // Both Lambda steps' functions end a minute before the step's 10 minutes, so neither writes after the step failed.
    expect(fn.timeout).toBe(540);
    expect(inputsOf('aws:lambda/function:Function', 'retraining-pipeline-register-function').timeout).toBe(540);
    expect(fn.environment.variables).toEqual({ MAILROUTE_TABLE_NAME: 'mailroute-dev-predictions', MAILROUTE_ARTIFACT_BUCKET: expect.stringMatching(/^mailroute-dev-artifacts-/), MAILROUTE_DATA_PREFIX: 'data/' });
    const steps = JSON.parse(inputsOf('aws:sagemaker/pipeline:Pipeline', 'retraining-pipeline-pipeline').pipelineDefinition).Steps as { Name: string; FunctionArn?: string; DependsOn?: string[] }[];
    expect(steps.map((s) => s.Name)).toEqual(['ExportFeedback', 'Train', 'Register']);
    expect(steps[0].FunctionArn).toBe('arn:aws:mock:eu-central-1:111111111111:retraining-pipeline-export-feedback-function');
    const invoke = policyStatements(inputsOf('aws:iam/rolePolicy:RolePolicy', 'retraining-pipeline-policy').policy).find((s) => s.Sid === 'InvokeLambdaSteps');
    expect([invoke?.Resource].flat()).toEqual([expect.stringContaining('retraining-pipeline-register-function'), steps[0].FunctionArn]);
    const own = policyStatements(inputsOf('aws:iam/rolePolicy:RolePolicy', 'retraining-pipeline-export-feedback-policy').policy);
    expect(own.find((s) => s.Sid === 'WriteFeedbackFile')?.Resource).toEqual(
      ['data/mailroute-feedback/confirmed-cases.csv', 'data/*/mailroute-feedback/confirmed-cases.csv', 'data/mailroute-feedback/confirmed-cases.jsonl', 'data/*/mailroute-feedback/confirmed-cases.jsonl'].map((key) => `arn:aws:mock:eu-central-1:111111111111:artifacts-bucket/${key}`),
    );
    expect(inputsOf('aws:scheduler/schedule:Schedule', 'retraining-schedule').description).toContain('and the confirmed cases of the feedback table, exported there first');
  });

  it('is left out where the stack keeps no text, or turns the step off (a table too big for a Lambda step)', () => {
    const dev = loadStackConfigFile('dev');
    const parse = (feedback: object, retraining: object) => parseStackConfig({ ...dev, feedback, retraining }, 'dev');
    expect(exportsFeedback(parse({ storeText: true }, {}))).toBe(true);
    expect(exportsFeedback(parse({ storeText: false }, {}))).toBe(false);
    expect(exportsFeedback(parse({ storeText: true }, { exportFeedback: false }))).toBe(false);
  });

  it('passes every policy', () => {
    expect(runPolicies(kept, { environment: 'dev', accountId: loadStackConfigFile('dev').accountId as string })).toEqual([]);
  });
});

describe('Retraining with kept text but the feedback export turned off (retraining.exportFeedback: false)', () => {
  it('has no export Lambda, no ExportFeedback step, and a pipeline role that invokes the register Lambda only', async () => {
    const off = parseStackConfig({ ...loadStackConfigFile('dev'), retraining: { enabled: true, exportFeedback: false }, feedback: { storeText: true } }, 'dev');
    const { graph: built } = await runMocked(off, (rootOpts) => createProgram(off, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs);
    const inputsOf = (type: string, name: string) => built.find((r) => r.type === type && r.name === name)?.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(built.filter((r) => r.name.startsWith('retraining-pipeline-export-feedback'))).toEqual([]);
    expect(JSON.parse(inputsOf('aws:sagemaker/pipeline:Pipeline', 'retraining-pipeline-pipeline').pipelineDefinition).Steps.map((s: { Name: string }) => s.Name)).toEqual(['Train', 'Register']);
    const invoke = policyStatements(inputsOf('aws:iam/rolePolicy:RolePolicy', 'retraining-pipeline-policy').policy).find((s) => s.Sid === 'InvokeLambdaSteps');
    expect(invoke?.Resource).toBe('arn:aws:mock:eu-central-1:111111111111:retraining-pipeline-register-function');
    // The API still keeps the text (the export runs by hand).
    expect(inputsOf('aws:lambda/function:Function', 'api-handler-function').environment.variables.MAILROUTE_STORE_TEXT).toBe('true');
  }, 60_000);
});
