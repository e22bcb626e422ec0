import path from 'node:path';
import { createLocalRegistry, type ModelVersion } from '@mailroute/model';
import type { S3SageMakerRegistry } from './s3-sagemaker-registry.js';

export interface PublishModelOptions {
  /** The stack's registry (its bucket and model package group). */
  registry: Pick<S3SageMakerRegistry, 'registerPackage' | 'artifactUri'>;
  /** A model of the local registry (`MAILROUTE_HOME`), by id... */
  modelId?: string;
  /** ...or an artifact directory (one with a manifest.json). */
  artifactDir?: string;
  /** `MAILROUTE_HOME`, for `modelId`. */
  home?: string;
  note?: string;
}

/**
 * Puts a locally trained model into the stack: its files under the bucket's models prefix and a model package
 * (PendingManualApproval) in the group. Approving the package (console or `aws sagemaker
 * update-model-package`) then deploys it. Every file the manifest lists is checked against its sha256 before
 * anything is uploaded (the registry's `register`; REGISTRY_ARTIFACT_INVALID names the file), and a local
 * model's manifest against its registry entry too. Answers the version, the model package's ARN, and where its files are.
 */
export async function publishModel(
  options: PublishModelOptions,
): Promise<{ version: ModelVersion; modelPackageArn: string; artifactDir: string; s3Uri: string }> {
  if ((options.modelId === undefined) === (options.artifactDir === undefined)) throw new RangeError('give a local model id or an artifact directory, one of them');
  let dir: string;
  let note = options.note;
  let runId: string | undefined;
  if (options.modelId !== undefined) {
    if (!options.home) throw new RangeError('a local model id needs MAILROUTE_HOME (--home) to find it');
    const local = createLocalRegistry({ home: options.home });
    const entry = await local.get(options.modelId); // REGISTRY_NOT_FOUND names the ids near it
    dir = await local.artifactDir(options.modelId); // REGISTRY_ARTIFACT_TAMPERED when its files changed
    note ??= entry.note;
    runId = entry.runId;
  } else {
    dir = path.resolve(options.artifactDir as string);
  }
  const { version, modelPackageArn } = await options.registry.registerPackage(dir, { note, runId });
  return { version, modelPackageArn, artifactDir: dir, s3Uri: options.registry.artifactUri(version.id) };
}
