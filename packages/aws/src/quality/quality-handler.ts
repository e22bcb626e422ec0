import { z } from 'zod';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TaskInfo } from '@mailroute/serving';
import { RegistryArtifactError } from '../errors.js';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { hasChampionPointer, isBootstrapModel, loadChampionTasks, loadModelTasks } from '../lambda/champion-tasks.js';
import { defaultAwsServingDeps, type AwsServingDeps } from '../lambda/api-handler.js';
import { createQualityReporter, type NothingToMeasure } from './quality-report.js';
import { QUALITY_ENV } from '../contracts.js';
import { configFromEnv, KeyPrefixSchema } from '../lambda-env.js';


const QualityConfigSchema = z.object({
  tableName: z.string().min(1),
  artifactBucket: z.string().min(1),
  modelsPrefix: KeyPrefixSchema.default('models/'),
  environment: z.string().min(1),
  windowDays: z.coerce.number().int().min(1).max(366).default(30),
  minFeedback: z.coerce.number().int().min(1).default(30),
});

/**
 * The daily quality reporter's handler: live macro F1 per task as EMF lines on stdout. `deps.logger` gets the
 * store's warnings (a window the judged-by-day index does not cover is read whole, slowly: run the backfill).
 */
export function createQualityReporterHandlerFromEnv(
  env: Record<string, string | undefined>,
  write: (line: string) => void,
  deps: Pick<AwsServingDeps, 's3' | 'dynamo' | 'logger'> = defaultAwsServingDeps(),
) {
  const config = configFromEnv(QualityConfigSchema, QUALITY_ENV, env, 'quality reporter');
  return createQualityReporter({
    store: new DynamoPredictionStore({ client: deps.dynamo, tableName: config.tableName, logger: deps.logger }),
    tasks: measuredTasks(deps.s3, config.artifactBucket, config.modelsPrefix),
    environment: config.environment,
    windowDays: config.windowDays,
    minFeedback: config.minFeedback,
    write,
  });
}

/**
 * The labels of the model that made the window's newest prediction; the champion's without any. The
 * bootstrap model (before the first approval) has no directory of its own id: nothing to measure yet, as
 * the API Lambda falls back to the bootstrap manifest's tasks for it. Any other missing manifest fails.
 */
export function measuredTasks(s3: S3Client, bucket: string, prefix: string) {
  return async (modelIds: string[]): Promise<readonly TaskInfo[] | NothingToMeasure> => {
    if (modelIds.length === 0) return (await loadChampionTasks(s3, bucket, prefix)).tasks;
    const [modelId] = modelIds;
    try {
      return await loadModelTasks(s3, bucket, prefix, modelId);
    } catch (error) {
      if (!(error instanceof RegistryArtifactError)) throw error;
      if (await isBootstrapModel(s3, bucket, prefix, modelId)) return { nothingToMeasure: `the bootstrap model (${modelId}) serves: no model was approved yet` };
      if (!(await hasChampionPointer(s3, bucket, prefix))) return { nothingToMeasure: `no champion yet (no ${prefix}champion.json) and ${modelId} has no manifest` };
      throw error;
    }
  };
}
