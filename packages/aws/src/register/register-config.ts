import { z } from 'zod';
import { REGISTER_ENV, REGISTER_STEP } from '../contracts.js';
import { RegisterEventError } from '../errors.js';
import { configFromEnv, KeyPrefixSchema as Prefix } from '../lambda-env.js';
import { s3Folder } from '../s3-uri.js';

export const RegisterConfigSchema = z
  .object({
    artifactBucket: z.string().min(1),
    modelsPrefix: Prefix.default('models/'),
    modelPackageGroupName: z.string().min(1),
    inferenceImage: z.string().min(1),
    trainingOutputPrefix: Prefix.default('training-output/'),
  })
  // A training output under models/ (or models/ under it) would let a training job's files be registered as they lie.
  .refine((c) => !c.trainingOutputPrefix.startsWith(c.modelsPrefix) && !c.modelsPrefix.startsWith(c.trainingOutputPrefix), {
    message: 'the training output prefix and the models prefix must not contain one another',
    path: ['trainingOutputPrefix'],
  });
export type RegisterConfig = z.infer<typeof RegisterConfigSchema>;

/** The register Lambda's settings from its environment (REGISTER_ENV); AWS_CONFIG_INVALID names the variable. */
export function registerConfigFromEnv(env: Record<string, string | undefined>): RegisterConfig {
  return configFromEnv(RegisterConfigSchema, REGISTER_ENV, env, 'register');
}

const { artifactUri, note } = REGISTER_STEP.inputs;
export const RegisterEventSchema = z.object({
  [artifactUri]: z.string().min(1),
  [note]: z.string().optional(),
});

/** The Register step's event: the artifact's S3 URI and the note (the pipeline's execution id). */
export function parseRegisterEvent(event: unknown): { artifactUri: string; note?: string } {
  const parsed = RegisterEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegisterEventError(`not a Register step event ({ ${artifactUri}, ${note} }): ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return { artifactUri: parsed.data[artifactUri], note: parsed.data[note] };
}

/**
 * The key prefix (ending in `/`) of an artifact URI, which must name a folder under the training output of the
 * artifact bucket: another bucket, models/, anything else, or a path with an empty, `.` or `..` segment is
 * refused. The `/` at the end keeps `.../output/model` from taking in `.../output/model.tar.gz` beside it.
 */
export function artifactPrefix(uri: string, config: Pick<RegisterConfig, 'artifactBucket' | 'trainingOutputPrefix'>): string {
  const folder = s3Folder(uri);
  if (!folder) throw new RegisterEventError(`${artifactUri} ${JSON.stringify(uri)} is not an s3://<bucket>/<prefix> URI`);
  if (folder.bucket !== config.artifactBucket) {
    throw new RegisterEventError(`${artifactUri} ${uri} is in bucket ${folder.bucket}: the register Lambda registers only from ${config.artifactBucket}`);
  }
  if (folder.badSegment) throw new RegisterEventError(`${artifactUri} ${uri} has an empty, "." or ".." path segment`);
  const { prefix } = folder;
  if (!prefix.startsWith(config.trainingOutputPrefix) || prefix === config.trainingOutputPrefix) {
    throw new RegisterEventError(`${artifactUri} ${uri} is not under s3://${config.artifactBucket}/${config.trainingOutputPrefix}: the register Lambda registers only a training job's output`);
  }
  return prefix;
}
