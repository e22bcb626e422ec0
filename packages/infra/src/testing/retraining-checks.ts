// Test-only: what a stack's retraining pipeline must be, asserted on the mocked resource graph (stack-suite.ts).
import { expect } from 'vitest';
import type { StackConfig } from '../config.js';
import { REGISTER_LAMBDA_ENV } from '../lambda-env.js';
import { T, policyStatements } from '../policies/graph.js';
import type { PipelineDefinition } from '../retraining-pipeline.js';
import type { RecordedResource } from './pulumi-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;

export function expectRetrainingPipeline(graph: readonly RecordedResource[], config: StackConfig): void {
  const stack = config.environment;
  const inputs = (type: string, name: string): Inputs => {
    const found = graph.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).toHaveLength(1);
    return found[0].inputs as Inputs;
  };
  const mockArn = (name: string) => `arn:aws:mock:${config.region}:${config.accountId}:${name}`;
  const bucket = `mailroute-${stack}-artifacts-${config.accountId}`;

  const pipeline = inputs('aws:sagemaker/pipeline:Pipeline', 'retraining-pipeline-pipeline');
  expect(pipeline).toMatchObject({ pipelineName: `mailroute-${stack}-retrain`, pipelineDisplayName: `mailroute-${stack}-retrain`, roleArn: mockArn('retraining-pipeline-role') });
  expect(pipeline.tags).toMatchObject({ environment: stack, service: 'mailroute', 'cost-centre': config.costCentre });

  const definition = JSON.parse(pipeline.pipelineDefinition) as PipelineDefinition;
  expect(definition.Version).toBe('2020-12-01');
  expect(Object.fromEntries(definition.Parameters.map((p) => [p.Name, p.DefaultValue]))).toEqual({
    Environment: stack,
    TrainingDataUri: `s3://${bucket}/data/retraining/exports/`,
    ConfigUri: `s3://${bucket}/data/retraining/config/`,
    InstanceType: config.training.instanceType,
    MaxRuntimeSeconds: config.training.maxRuntimeSeconds,
  });
  const [train, register] = definition.Steps;
  const args = train.Arguments as Inputs;
  expect(args.AlgorithmSpecification.TrainingImage).toBe(`${config.accountId}.dkr.ecr.${config.region}.amazonaws.com/mailroute-${stack}-serving:${config.serving.imageTag}`);
  expect(args.RoleArn).toBe(mockArn('training-role'));
  expect(args.OutputDataConfig).toEqual({ S3OutputPath: `s3://${bucket}/training-output/retrain`, CompressionType: 'NONE', KmsKeyId: mockArn('key-key') });
  expect(args.VpcConfig.Subnets).toEqual(Array.from({ length: config.network.azCount }, (_, i) => `network-private-${i}-id`));
  expect(args.VpcConfig.SecurityGroupIds).toEqual(['network-workloads-id']);
  // Both stacks train on EBS-backed m5 types: the job's volume is encrypted with the stack key (a type with local
  // NVMe storage would get none, as SageMaker encrypts that itself and refuses a volume key for it).
  expect(args.ResourceConfig.VolumeKmsKeyId).toBe(mockArn('key-key'));
  expect(args.Tags).toEqual(expect.arrayContaining([{ Key: 'environment', Value: stack }]));
  expect(register).toMatchObject({ Type: 'Lambda', FunctionArn: mockArn('retraining-pipeline-register-function'), DependsOn: ['Train'] });

  // The job runs as the execution role: it may read both channels' default folders and write the output path.
  const execution = policyStatements(inputs(T.rolePolicy, 'training-role-policy').policy);
  const under = (sid: string, uri: string) => {
    const key = `${mockArn('artifacts-bucket')}/${uri.replace(`s3://${bucket}/`, '')}x`;
    return [execution.find((st) => st.Sid === sid)?.Resource].flat().some((pattern) => key.startsWith(String(pattern).replace(/\*$/, '')));
  };
  for (const p of definition.Parameters.filter((x) => String(x.DefaultValue).startsWith('s3://'))) expect(under('ReadPrefixes', String(p.DefaultValue)), p.Name).toBe(true);
  expect(under('WritePrefixes', args.OutputDataConfig.S3OutputPath)).toBe(true);
  expect(under('WritePrefixes', `s3://${bucket}/models/`)).toBe(false);

  // The pipeline's role: SageMaker assumes it; it starts jobs as the execution role and invokes only the register Lambda here.
  expect(JSON.parse(inputs(T.role, 'retraining-pipeline-role').assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 'sagemaker.amazonaws.com' });
  const pipelinePolicy = policyStatements(inputs(T.rolePolicy, 'retraining-pipeline-policy').policy);
  expect(pipelinePolicy.find((s) => s.Sid === 'PassExecutionRoleToSageMaker')?.Resource).toBe(mockArn('training-role'));
  // What a run may cost: jobs on the configured type only, for at most the configured run time (the parameters' defaults).
  expect(config.training.maxRuntimeSeconds).toBe(7200);
  expect(pipelinePolicy.find((s) => [s.Action].flat().includes('sagemaker:CreateTrainingJob'))?.Condition).toEqual({
    'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': [config.training.instanceType] },
    Null: { 'sagemaker:InstanceTypes': 'false' },
    NumericLessThanEquals: { 'sagemaker:MaxRuntimeInSeconds': '7200' },
  });
  expect(pipelinePolicy.find((s) => s.Sid === 'InvokeLambdaSteps')?.Resource).toBe(mockArn('retraining-pipeline-register-function'));
  // The committed stacks keep no email text (feedback.storeText): no ExportFeedback step, no feedback-export Lambda.
  expect(config.feedback.storeText).toBe(false);
  expect(definition.Steps.map((step) => step.Name)).toEqual(['Train', 'Register']);
  expect(graph.filter((r) => r.name.startsWith('retraining-pipeline-export-feedback'))).toEqual([]);

  // The register Lambda: its bundle, the registry's settings, and a role that writes models/ in this bucket only.
  const fn = inputs(T.lambda, 'retraining-pipeline-register-function');
  expect(fn.code).toEqual({ archive: '/opt/mailroute/dist/register' });
  expect(fn.name).toBe(`mailroute-${stack}-register`);
  // A minute under the Lambda step's 10 minutes: a registration past it fails before the step does, never after it.
  expect(fn.timeout).toBe(540);
  expect(fn.environment.variables).toEqual({
    [REGISTER_LAMBDA_ENV.artifactBucket]: bucket,
    [REGISTER_LAMBDA_ENV.modelsPrefix]: 'models/',
    [REGISTER_LAMBDA_ENV.modelPackageGroupName]: `mailroute-${stack}-email-classifier`,
    [REGISTER_LAMBDA_ENV.inferenceImage]: args.AlgorithmSpecification.TrainingImage,
    [REGISTER_LAMBDA_ENV.trainingOutputPrefix]: 'training-output/retrain/',
  });
  const registerPolicy = policyStatements(inputs(T.rolePolicy, 'retraining-pipeline-register-policy').policy);
  const bucketArn = mockArn('artifacts-bucket');
  // A model's own folder (models/<id>/...), not models/champion.json and the records beside it.
  expect(registerPolicy.find((s) => s.Sid === 'WriteModels')?.Resource).toBe(`${bucketArn}/models/*/*`);
  expect(registerPolicy.find((s) => s.Sid === 'RegisterModelPackages')?.Condition).toEqual({ StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } });
  expect(registerPolicy.find((s) => s.Sid === 'ReadTrainingOutput')?.Resource).toBe(`${bucketArn}/training-output/retrain/*`);
  expect(inputs(T.logGroup, 'retraining-pipeline-register-logs').name).toBe(`/aws/lambda/mailroute-${stack}-register`);
}
