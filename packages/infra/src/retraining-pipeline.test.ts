import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactPrefix, parseFeedbackExportEvent, registerConfigFromEnv } from '@mailroute/aws';
import { FEEDBACK_EXPORT_STEP, REGISTER_ENV, REGISTER_STEP, TRAINING_JOB, hasInstanceStorage } from '@mailroute/aws/contracts';
import { parseStackConfig } from './config.js';
import { DEFAULT_MAX_RUNTIME_SECONDS, RETRAIN_OUTPUT_PREFIX, TRAINING_METRICS, retrainingPipelineDefinition, type RetrainingPipelineInput } from './retraining-pipeline.js';
import { apiEnum, shapeProblems } from './testing/sagemaker-api.js';
import { INFRA_ROOT, loadStackConfigFile } from './testing/stack-files.js';

const KEY = 'arn:aws:kms:eu-central-1:222222222222:key/k';
const input = (overrides: Partial<RetrainingPipelineInput> = {}): RetrainingPipelineInput => ({
  config: loadStackConfigFile('prod'),
  bucketName: 'mailroute-prod-artifacts-222222222222',
  kmsKeyArn: KEY,
  executionRoleArn: 'arn:aws:iam::222222222222:role/mailroute-prod-sagemaker-execution',
  trainingImage: '222222222222.dkr.ecr.eu-central-1.amazonaws.com/mailroute-prod-serving:1.0.0',
  registerFunctionArn: 'arn:aws:lambda:eu-central-1:222222222222:function:mailroute-prod-register',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-1',
  tags: { environment: 'prod', service: 'mailroute' },
  ...overrides,
});
/** The definition as SageMaker gets it: JSON text, parsed back. */
const definitionOf = (i: RetrainingPipelineInput) => JSON.parse(JSON.stringify(retrainingPipelineDefinition(i))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every `{ "Get": ... }` in a value, with where it is. */
function references(value: unknown, at = ''): { at: string; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === 'Get') return [{ at, path: String(entries[0][1]) }];
  return entries.flatMap(([k, v]) => references(v, `${at}.${k}`));
}

// SageMaker Pipelines' definition format (version 2020-12-01): parameters and steps named by [A-Za-z0-9_-]{1,64},
// a parameter's default of its type, a Training step's Arguments as CreateTrainingJob's request without the
// job name, a Lambda step's FunctionArn, Arguments and typed OutputParameters, values taken at run time as
// { Get: Parameters.X | Execution.X | Steps.<earlier step>.X }.
describe('retrainingPipelineDefinition: the shape SageMaker takes', () => {
  const definition = definitionOf(input());
  const [train, register] = definition.Steps;

  it('is a 2020-12-01 definition of typed parameters and two named steps', () => {
    expect(Object.keys(definition).sort()).toEqual(['Parameters', 'Steps', 'Version']);
    expect(definition.Version).toBe('2020-12-01');
    const jsType = { String: 'string', Integer: 'number', Float: 'number', Boolean: 'boolean' } as Record<string, string>;
    for (const p of definition.Parameters) {
      expect(p.Name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(typeof p.DefaultValue, p.Name).toBe(jsType[p.Type]);
    }
    expect(definition.Parameters.find((p: { Name: string }) => p.Name === 'MaxRuntimeSeconds')).toEqual({ Name: 'MaxRuntimeSeconds', Type: 'Integer', DefaultValue: DEFAULT_MAX_RUNTIME_SECONDS });
    expect(definition.Steps.map((s: { Name: string; Type: string }) => [s.Name, s.Type])).toEqual([['Train', 'Training'], ['Register', 'Lambda']]);
  });

  it("defaults MaxRuntimeSeconds to training.maxRuntimeSeconds, the most the pipeline's role lets a job ask for", () => {
    const prod = loadStackConfigFile('prod');
    const shorter = definitionOf(input({ config: { ...prod, training: { ...prod.training, maxRuntimeSeconds: 1800 } } }));
    expect(shorter.Parameters.find((p: { Name: string }) => p.Name === 'MaxRuntimeSeconds')?.DefaultValue).toBe(1800);
    expect(shorter.Parameters.find((p: { Name: string }) => p.Name === 'InstanceType')?.DefaultValue).toBe(prod.training.instanceType);
  });

  it("gives the Train step CreateTrainingJob's request, member for member, less the name the pipeline sets", () => {
    expect(shapeProblems(train.Arguments, 'CreateTrainingJobRequest', 'Train', ['TrainingJobName'])).toEqual([]);
    // The check finds what SageMaker would refuse.
    const wrong = { ...train.Arguments, OutputDataConfig: { S3OutputPath: 's3://b/', CompressionType: 'None' }, InputMode: 'File' };
    expect(shapeProblems(wrong, 'CreateTrainingJobRequest', 'Train', ['TrainingJobName'])).toEqual([
      'Train.OutputDataConfig.CompressionType: None is not one of GZIP, NONE',
      'Train.InputMode: not a member of CreateTrainingJobRequest',
    ]);
    expect(shapeProblems({ RoleArn: 'r' }, 'CreateTrainingJobRequest', 'Train', ['TrainingJobName'])).toEqual(['Train.OutputDataConfig: required']);
  });

  it('runs the serving image on the two channels, uncompressed output under training-output/retrain/, the stack key, in the VPC', () => {
    const a = train.Arguments;
    expect(a.AlgorithmSpecification).toMatchObject({ TrainingImage: input().trainingImage, TrainingInputMode: 'File' });
    expect(a.InputDataConfig.map((c: { ChannelName: string }) => c.ChannelName)).toEqual([TRAINING_JOB.dataChannel, TRAINING_JOB.configChannel]);
    expect(a.InputDataConfig[0].DataSource.S3DataSource).toEqual({ S3DataType: 'S3Prefix', S3Uri: { Get: 'Parameters.TrainingDataUri' }, S3DataDistributionType: 'FullyReplicated' });
    expect(a.HyperParameters).toEqual({ config: 'train-config.json', note: { Get: 'Execution.PipelineExecutionId' } });
    expect(a.OutputDataConfig).toEqual({ S3OutputPath: 's3://mailroute-prod-artifacts-222222222222/training-output/retrain', CompressionType: 'NONE', KmsKeyId: KEY });
    expect(a.ResourceConfig).toMatchObject({ InstanceCount: 1, InstanceType: { Get: 'Parameters.InstanceType' } });
    expect(a.StoppingCondition).toEqual({ MaxRuntimeInSeconds: { Get: 'Parameters.MaxRuntimeSeconds' } });
    expect(a.VpcConfig).toEqual({ Subnets: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] });
    expect(a.EnableNetworkIsolation).toBe(true);
    expect(a.Tags).toEqual([{ Key: 'environment', Value: 'prod' }, { Key: 'service', Value: 'mailroute' }]);
  });

  it("writes the artifact where the register Lambda, set up as the stack sets it, takes it from", () => {
    // S3ModelArtifacts of an uncompressed output: <S3OutputPath>/<job name>/output/model/, joined with a "/".
    const uri = `${train.Arguments.OutputDataConfig.S3OutputPath}/pipelines-a1b2c3d4e5f6-Train-AbCdEfGhIj/output/model/`;
    const lambda = registerConfigFromEnv({
      [REGISTER_ENV.artifactBucket]: input().bucketName,
      [REGISTER_ENV.modelPackageGroupName]: 'mailroute-prod-email-classifier',
      [REGISTER_ENV.inferenceImage]: input().trainingImage,
      [REGISTER_ENV.trainingOutputPrefix]: RETRAIN_OUTPUT_PREFIX,
    });
    expect(artifactPrefix(uri, lambda)).toBe('training-output/retrain/pipelines-a1b2c3d4e5f6-Train-AbCdEfGhIj/output/model/');
  });

  it('hands the Register Lambda the trained artifact and reads its answer as string outputs', () => {
    expect(Object.keys(register).sort()).toEqual(['Arguments', 'DependsOn', 'FunctionArn', 'Name', 'OutputParameters', 'Type']);
    expect(register.FunctionArn).toBe(input().registerFunctionArn);
    expect(register.DependsOn).toEqual(['Train']);
    expect(register.Arguments).toEqual({
      [REGISTER_STEP.inputs.artifactUri]: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
      [REGISTER_STEP.inputs.note]: { Get: 'Execution.PipelineExecutionId' },
    });
    expect(register.OutputParameters).toEqual([
      { OutputName: REGISTER_STEP.outputs.modelId, OutputType: 'String' },
      { OutputName: REGISTER_STEP.outputs.modelPackageArn, OutputType: 'String' },
    ]);
  });

  it('refers only to declared parameters, execution variables and an earlier step', () => {
    const declared = new Set(definition.Parameters.map((p: { Name: string }) => `Parameters.${p.Name}`));
    const refs = references(definition.Steps);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const ok = declared.has(ref.path) || ref.path === 'Execution.PipelineExecutionId' || (ref.path.startsWith('Steps.Train.') && ref.at.startsWith('[1]'));
      expect(ok, `${ref.at}: ${ref.path}`).toBe(true);
    }
    // Each parameter is used, Environment excepted (the schedule passes it; the execution records it).
    for (const name of declared) if (name !== 'Parameters.Environment') expect(refs.some((r) => r.path === name), String(name)).toBe(true);
  });

  it('defaults to the stack’s bucket folders and training instance type, one SageMaker trains on', () => {
    const defaults = Object.fromEntries(definition.Parameters.map((p: { Name: string; DefaultValue: unknown }) => [p.Name, p.DefaultValue]));
    expect(defaults).toMatchObject({ Environment: 'prod', TrainingDataUri: 's3://mailroute-prod-artifacts-222222222222/data/retraining/exports/', ConfigUri: 's3://mailroute-prod-artifacts-222222222222/data/retraining/config/' });
    for (const stack of ['dev', 'prod'] as const) expect(apiEnum('TrainingInstanceType')).toContain(loadStackConfigFile(stack).training.instanceType);
  });
});

describe('retrainingPipelineDefinition with the feedback export (feedback.storeText)', () => {
  const exportArn = 'arn:aws:lambda:eu-central-1:222222222222:function:mailroute-prod-export-feedback';
  const definition = definitionOf(input({ feedbackExportFunctionArn: exportArn }));
  const [exportStep, train, register] = definition.Steps;

  it('runs ExportFeedback first, Train after it, then Register', () => {
    expect(definition.Steps.map((s: { Name: string; Type: string }) => [s.Name, s.Type])).toEqual([['ExportFeedback', 'Lambda'], ['Train', 'Training'], ['Register', 'Lambda']]);
    expect(exportStep).not.toHaveProperty('DependsOn');
    expect(train.DependsOn).toEqual(['ExportFeedback']);
    expect(register.DependsOn).toEqual(['Train']);
    // Train's request is still CreateTrainingJob's, its DependsOn the pipeline's own.
    expect(shapeProblems(train.Arguments, 'CreateTrainingJobRequest', 'Train', ['TrainingJobName'])).toEqual([]);
  });

  it("hands the Lambda the folders Train reads, which the Lambda's own check takes, and reads its answer as string outputs", () => {
    expect(exportStep.FunctionArn).toBe(exportArn);
    expect(exportStep.Arguments).toEqual({ TrainingDataUri: { Get: 'Parameters.TrainingDataUri' }, ConfigUri: { Get: 'Parameters.ConfigUri' } });
    expect(train.Arguments.InputDataConfig.map((c: { DataSource: { S3DataSource: { S3Uri: unknown } } }) => c.DataSource.S3DataSource.S3Uri)).toEqual([exportStep.Arguments.TrainingDataUri, exportStep.Arguments.ConfigUri]);
    const defaults = Object.fromEntries(definition.Parameters.map((p: { Name: string; DefaultValue: string }) => [p.Name, p.DefaultValue]));
    expect(parseFeedbackExportEvent({ TrainingDataUri: defaults.TrainingDataUri, ConfigUri: defaults.ConfigUri }, { artifactBucket: 'mailroute-prod-artifacts-222222222222', dataPrefix: 'data/' })).toEqual({ dataPrefix: 'data/retraining/exports/', configPrefix: 'data/retraining/config/' });
    expect(exportStep.OutputParameters).toEqual(Object.values(FEEDBACK_EXPORT_STEP.outputs).map((name) => ({ OutputName: name, OutputType: 'String' })));
  });
});

describe('the training volume key', () => {
  it('is the stack key on EBS-backed types and left to SageMaker on types with local NVMe storage, which refuse one', () => {
    const prod = loadStackConfigFile('prod');
    const on = (instanceType: string) => definitionOf(input({ config: { ...prod, training: { ...prod.training, instanceType } } })).Steps[0].Arguments.ResourceConfig.VolumeKmsKeyId;
    expect(on('ml.m5.xlarge')).toBe(KEY);
    expect(on('ml.c6i.large')).toBe(KEY);
    expect(on('ml.g5.xlarge')).toBeUndefined();
    expect(on('ml.g4dn.xlarge')).toBeUndefined();
    for (const t of ['ml.c5d.xlarge', 'ml.m6id.large', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge', 'ml.p3dn.24xlarge', 'ml.g6.xlarge', 'ml.trn1.2xlarge', 'ml.g4ad.xlarge']) expect(hasInstanceStorage(t), t).toBe(true);
    for (const t of ['ml.m5.large', 'ml.c5.xlarge', 'ml.p3.2xlarge', 'ml.inf2.xlarge', 'ml.t3.medium']) expect(hasInstanceStorage(t), t).toBe(false);
  });
});

describe("the metric regexes read the trainer's log lines", () => {
  const format = readFileSync(path.join(INFRA_ROOT, '../training/src/tracking/format.ts'), 'utf8');
  const epochLine = "{'loss': 0.1234, 'learning_rate': 0.05, 'eval_loss': 0.3, 'eval_accuracy': 0.9, 'eval_precision': 0.85, 'eval_recall': 0.8, 'eval_f1': 0.8123, 'eval_queue_f1': 0.7, 'train_samples_per_second': 9000.5, 'epoch_runtime': 0.25, 'epoch': 3.0}";
  const finalLine = "{'eval_f1': 0.8201, 'best_epoch': 4.0, 'test_accuracy': 0.91, 'test_f1': 0.8012, 'test_queue_f1': 0.79}";
  const first = (regex: string, line: string) => new RegExp(regex).exec(line)?.[1];

  it('names keys the trainer prints', () => {
    for (const m of TRAINING_METRICS) {
      const key = /^'([a-z_0-9]+)'/.exec(m.Regex)?.[1];
      // format.ts writes them as ['<key>', value] pairs, or `${split}_f1` for the test split.
      const printed = format.includes(`['${key}',`) || (['test_f1', 'test_accuracy'].includes(key ?? '') && format.includes(`\`\${input.split}_${key?.slice(5)}\``));
      expect(printed, m.Name).toBe(true);
    }
  });

  it('take each value from its own key, not from a longer one that ends alike', () => {
    const values = Object.fromEntries(TRAINING_METRICS.map((m) => [m.Name, first(m.Regex, epochLine)]));
    expect(values).toEqual({
      'train:loss': '0.1234', 'train:learning_rate': '0.05', 'train:samples_per_second': '9000.5', 'train:epoch_runtime': '0.25',
      'validation:loss': '0.3', 'validation:accuracy': '0.9', 'validation:precision': '0.85', 'validation:recall': '0.8', 'validation:f1': '0.8123',
      'test:accuracy': undefined, 'test:f1': undefined, epoch: '3.0',
    });
    const final = Object.fromEntries(TRAINING_METRICS.map((m) => [m.Name, first(m.Regex, finalLine)]));
    expect(final).toMatchObject({ 'validation:f1': '0.8201', 'validation:accuracy': undefined, 'test:accuracy': '0.91', 'test:f1': '0.8012', epoch: undefined });
  });
});

describe('the retraining folders in the stack config', () => {
  const minimal = { ...loadStackConfigFile('dev'), retraining: {} };
  it('default under data/retraining/ and must be folders under data/ that do not overlap', () => {
    expect(parseStackConfig(minimal).retraining).toMatchObject({ dataPrefix: 'data/retraining/exports/', configPrefix: 'data/retraining/config/' });
    expect(() => parseStackConfig({ ...minimal, retraining: { dataPrefix: 'exports/' } })).toThrow(/mailroute:retraining.dataPrefix: a folder under data\//);
    expect(() => parseStackConfig({ ...minimal, retraining: { configPrefix: 'data/config' } })).toThrow(/mailroute:retraining.configPrefix: a folder under data\//);
    expect(() => parseStackConfig({ ...minimal, retraining: { dataPrefix: 'data/crm/', configPrefix: 'data/crm/config/' } })).toThrow(/mailroute:retraining.configPrefix: data\/crm\/config\/ and retraining.dataPrefix data\/crm\/ overlap/);
    expect(parseStackConfig({ ...minimal, retraining: { dataPrefix: 'data/crm/', configPrefix: 'data/crm-config/' } }).retraining.configPrefix).toBe('data/crm-config/');
  });
});
