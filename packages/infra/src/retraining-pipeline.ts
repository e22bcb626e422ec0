/**
 * The retraining pipeline's definition (SageMaker Pipelines' JSON, version 2020-12-01) as a pure function of
 * resolved names: where the stack keeps the emails' text, ExportFeedback first (the feedback-export Lambda writes the
 * confirmed cases of the table beside the CRM's exports); Train (a training job on the serving image, whose `train`
 * entry leaves the model's artifact directory in /opt/ml/model) then Register (the register Lambda publishes that
 * directory to the registry).
 */
import { FEEDBACK_EXPORT_STEP, REGISTER_STEP, TRAINING_JOB, hasInstanceStorage } from '@mailroute/aws/contracts';
import type { StackConfig } from './config.js';
import { ARTIFACT_PREFIXES } from './storage-plan.js';

/** A value SageMaker resolves when the step runs: a parameter, an execution variable or another step's property. */
export interface PipelineGet {
  Get: string;
}
const get = (path: string): PipelineGet => ({ Get: path });

export const RETRAIN_PARAMETERS = {
  /** The stack the schedule starts the pipeline for (it passes it; the pipeline must declare it to accept it). */
  environment: 'Environment',
  trainingDataUri: 'TrainingDataUri',
  configUri: 'ConfigUri',
  instanceType: 'InstanceType',
  maxRuntimeSeconds: 'MaxRuntimeSeconds',
} as const;

export const RETRAIN_STEPS = { exportFeedback: 'ExportFeedback', train: 'Train', register: 'Register' } as const;

/** Where training jobs write (under `training-output/`, which expires after 30 days: the registry keeps what counts). */
export const RETRAIN_OUTPUT_PREFIX = `${ARTIFACT_PREFIXES.trainingOutput}retrain/`;

/** The default of `training.maxRuntimeSeconds`: one training job's longest run, the pipeline's default and its role's cap. */
export const DEFAULT_MAX_RUNTIME_SECONDS = 7200;
/** The job's storage volume: exports and the model are megabytes; this is the smallest size worth naming. */
const VOLUME_SIZE_GB = 30;

/**
 * The trainer's per-epoch and final lines are Python dicts (packages/training, tracking/format.ts):
 * `{'loss': 0.1234, 'learning_rate': 0.05, 'eval_loss': 0.3, 'eval_f1': 0.8123, ..., 'epoch': 3.0}`, then
 * `{'eval_f1': 0.8123, 'best_epoch': 3.0, ..., 'test_f1': 0.8012}`. A regex names its key with the quote in
 * front, so `'loss'` never matches inside `'eval_loss'`. SageMaker keeps every match as a time series and
 * the last as the final value: for `eval_f1` that is the kept weights' (the final line's). Per-task figures
 * (`eval_queue_f1`, `test_queue_f1`) are printed too but not defined here, as the tasks are the training config's;
 * the job's `run.json` (in its output, `output/data/`) holds every figure per task.
 */
export const TRAINING_METRICS: readonly { Name: string; Regex: string }[] = [
  { Name: 'train:loss', Regex: "'loss': ([0-9.]+)" },
  { Name: 'train:learning_rate', Regex: "'learning_rate': ([0-9.]+)" },
  { Name: 'train:samples_per_second', Regex: "'train_samples_per_second': ([0-9.]+)" },
  { Name: 'train:epoch_runtime', Regex: "'epoch_runtime': ([0-9.]+)" },
  { Name: 'validation:loss', Regex: "'eval_loss': ([0-9.]+)" },
  { Name: 'validation:accuracy', Regex: "'eval_accuracy': ([0-9.]+)" },
  { Name: 'validation:precision', Regex: "'eval_precision': ([0-9.]+)" },
  { Name: 'validation:recall', Regex: "'eval_recall': ([0-9.]+)" },
  { Name: 'validation:f1', Regex: "'eval_f1': ([0-9.]+)" },
  { Name: 'test:accuracy', Regex: "'test_accuracy': ([0-9.]+)" },
  { Name: 'test:f1', Regex: "'test_f1': ([0-9.]+)" },
  { Name: 'epoch', Regex: "'epoch': ([0-9.]+)" },
];


export interface RetrainingPipelineInput {
  config: Pick<StackConfig, 'environment' | 'training' | 'retraining'>;
  bucketName: string;
  kmsKeyArn: string;
  /** The SageMaker execution role the training job runs as (reads data/, writes training-output/). */
  executionRoleArn: string;
  /** The serving image with its tag: its `train` entry is the trainer. */
  trainingImage: string;
  registerFunctionArn: string;
  /** The feedback-export Lambda: given, the pipeline runs ExportFeedback before Train (feedback.storeText). */
  feedbackExportFunctionArn?: string;
  subnetIds: string[];
  securityGroupId: string;
  /** Tags of the training jobs the pipeline starts. */
  tags: Record<string, string>;
}

type Parameter = { Name: string; Type: 'String' | 'Integer'; DefaultValue: string | number };

export interface TrainingStep {
  Name: string;
  Type: 'Training';
  DependsOn?: string[];
  /** CreateTrainingJob's request, less the job name (the pipeline names each job). */
  Arguments: Record<string, unknown>;
}
export interface LambdaStep {
  Name: string;
  Type: 'Lambda';
  /** Absent for a first step. */
  DependsOn?: string[];
  FunctionArn: string;
  /** The event the Lambda gets. */
  Arguments: Record<string, string | PipelineGet>;
  OutputParameters: { OutputName: string; OutputType: 'String' }[];
}
export interface PipelineDefinition {
  Version: '2020-12-01';
  Parameters: Parameter[];
  Steps: [TrainingStep, LambdaStep] | [LambdaStep, TrainingStep, LambdaStep];
}

export function retrainingPipelineDefinition(input: RetrainingPipelineInput): PipelineDefinition {
  const { config } = input;
  const s3 = (prefix: string) => `s3://${input.bucketName}/${prefix}`;
  const P = RETRAIN_PARAMETERS;
  const parameter = (name: string) => get(`Parameters.${name}`);
  const channel = (name: string, uri: PipelineGet) => ({
    ChannelName: name,
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' } },
  });
  const executionId = get('Execution.PipelineExecutionId');
  // The confirmed cases of the table, written under TrainingDataUri before Train reads it (the config it follows is
  // the one Train reads); a failed export stops the run before any training.
  const exportFeedback: LambdaStep | undefined =
    input.feedbackExportFunctionArn === undefined
      ? undefined
      : {
          Name: RETRAIN_STEPS.exportFeedback,
          Type: 'Lambda',
          FunctionArn: input.feedbackExportFunctionArn,
          Arguments: { [FEEDBACK_EXPORT_STEP.inputs.trainingDataUri]: parameter(P.trainingDataUri), [FEEDBACK_EXPORT_STEP.inputs.configUri]: parameter(P.configUri) },
          OutputParameters: Object.values(FEEDBACK_EXPORT_STEP.outputs).map((name) => ({ OutputName: name, OutputType: 'String' as const })),
        };
  const train: TrainingStep = {
    Name: RETRAIN_STEPS.train,
    Type: 'Training',
    ...(exportFeedback === undefined ? {} : { DependsOn: [RETRAIN_STEPS.exportFeedback] }),
    Arguments: {
      // SageMaker runs the image as `docker run <image> train` (TRAINING_JOB.command).
      AlgorithmSpecification: { TrainingImage: input.trainingImage, TrainingInputMode: 'File', MetricDefinitions: TRAINING_METRICS },
      RoleArn: input.executionRoleArn,
      HyperParameters: { [TRAINING_JOB.configHyperparameter]: TRAINING_JOB.defaultConfigFile, [TRAINING_JOB.noteHyperparameter]: executionId },
      InputDataConfig: [channel(TRAINING_JOB.dataChannel, parameter(P.trainingDataUri)), channel(TRAINING_JOB.configChannel, parameter(P.configUri))],
      // Uncompressed: the artifact directory lands as files under <job>/output/model/, which the Lambda checks and registers.
      // No "/" at the end: SageMaker writes <S3OutputPath>/<job name>/..., and were it to join a path ending in "/"
      // as it stands, the keys would hold "//", a path the register Lambda refuses (an empty segment).
      OutputDataConfig: { S3OutputPath: s3(RETRAIN_OUTPUT_PREFIX.slice(0, -1)), CompressionType: 'NONE', KmsKeyId: input.kmsKeyArn },
      ResourceConfig: {
        InstanceCount: 1,
        InstanceType: parameter(P.instanceType),
        VolumeSizeInGB: VOLUME_SIZE_GB,
        // The key is chosen by the configured type, the only one the pipeline's role may start a job on.
        ...(hasInstanceStorage(config.training.instanceType) ? {} : { VolumeKmsKeyId: input.kmsKeyArn }),
      },
      StoppingCondition: { MaxRuntimeInSeconds: parameter(P.maxRuntimeSeconds) },
      // The trainer reads its channels and writes /opt/ml/model: it needs no network, and in the VPC SageMaker
      // reaches S3 and ECR through the stack's endpoints, as the endpoint's containers do.
      EnableNetworkIsolation: true,
      VpcConfig: { Subnets: input.subnetIds, SecurityGroupIds: [input.securityGroupId] },
      Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
    },
  };
  const register: LambdaStep = {
    Name: RETRAIN_STEPS.register,
    Type: 'Lambda',
    DependsOn: [RETRAIN_STEPS.train],
    FunctionArn: input.registerFunctionArn,
    Arguments: {
      [REGISTER_STEP.inputs.artifactUri]: get(`Steps.${RETRAIN_STEPS.train}.ModelArtifacts.S3ModelArtifacts`),
      [REGISTER_STEP.inputs.note]: executionId,
    },
    OutputParameters: Object.values(REGISTER_STEP.outputs).map((name) => ({ OutputName: name, OutputType: 'String' as const })),
  };
  return {
    Version: '2020-12-01',
    Parameters: [
      // Declared so that the schedule's parameter is accepted; the execution records it.
      { Name: P.environment, Type: 'String', DefaultValue: config.environment },
      { Name: P.trainingDataUri, Type: 'String', DefaultValue: s3(config.retraining.dataPrefix) },
      { Name: P.configUri, Type: 'String', DefaultValue: s3(config.retraining.configPrefix) },
      { Name: P.instanceType, Type: 'String', DefaultValue: config.training.instanceType },
      // Its default is the most the pipeline's role may ask for (retrainingPipelinePolicy): a run may ask for less.
      { Name: P.maxRuntimeSeconds, Type: 'Integer', DefaultValue: config.training.maxRuntimeSeconds },
    ],
    Steps: exportFeedback === undefined ? [train, register] : [exportFeedback, train, register],
  };
}
