import { z } from 'zod';
import { AdapterConfigError } from '../errors.js';
import { DynamoPredictionStore } from '../dynamo-prediction-store.js';
import { loadChampionTasks, loadModelTasks } from '../lambda/champion-tasks.js';
import { defaultAwsServingDeps, type AwsServingDeps } from '../lambda/api-handler.js';
import { createQualityReporter } from './quality-report.js';
import { QUALITY_ENV } from '../contracts.js';


const QualityConfigSchema = z.object({
  tableName: z.string().min(1),
  artifactBucket: z.string().min(1),
  modelsPrefix: z.string().endsWith('/').default('models/'),
  environment: z.string().min(1),
  windowDays: z.coerce.number().int().min(1).max(366).default(30),
  minFeedback: z.coerce.number().int().min(1).default(30),
});

/** The daily quality reporter's handler: live macro F1 per task as EMF lines on stdout. */
export function createQualityReporterHandlerFromEnv(
  env: Record<string, string | undefined>,
  write: (line: string) => void,
  deps: Pick<AwsServingDeps, 's3' | 'dynamo'> = defaultAwsServingDeps(),
) {
  const parsed = QualityConfigSchema.safeParse(
    Object.fromEntries(Object.entries(QUALITY_ENV).map(([key, name]) => [key, env[name] || undefined])),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdapterConfigError(`quality reporter environment invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const config = parsed.data;
  return createQualityReporter({
    store: new DynamoPredictionStore({ client: deps.dynamo, tableName: config.tableName }),
    // The labels of the model that made most of the window's predictions; the champion pointer without any.
    tasks: async (modelIds) =>
      modelIds.length > 0
        ? loadModelTasks(deps.s3, config.artifactBucket, config.modelsPrefix, modelIds[0])
        : (await loadChampionTasks(deps.s3, config.artifactBucket, config.modelsPrefix)).tasks,
    environment: config.environment,
    windowDays: config.windowDays,
    minFeedback: config.minFeedback,
    write,
  });
}
