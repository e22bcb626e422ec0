import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { RegistryError, sha256 } from '@mailroute/model';
import { REGISTER_STEP } from '../contracts.js';
import { RegistryArtifactError } from '../errors.js';
import { publishModel } from '../publish-model.js';
import { summarizeManifest } from '../registry-metadata.js';
import { downloadPrefixAtomically, listFiles } from '../s3-artifacts.js';
import { S3SageMakerRegistry } from '../s3-sagemaker-registry.js';
import { artifactPrefix, parseRegisterEvent, RegisterConfigSchema, registerConfigFromEnv, type RegisterConfig } from './register-config.js';

const { modelId: MODEL_ID, modelPackageArn: MODEL_PACKAGE_ARN } = REGISTER_STEP.outputs;

/** The Register step's outputs. */
export type RegisterResult = Record<typeof MODEL_ID | typeof MODEL_PACKAGE_ARN, string>;

export interface RegisterDeps {
  s3: S3Client;
  sagemaker: SageMakerClient;
  config: RegisterConfig;
  /** Where each invocation's working directory is made and removed again; default os.tmpdir() (Lambda's /tmp). */
  tmpDir?: string;
}

/**
 * The register Lambda, the retraining pipeline's Register step: the artifact a training job left under the
 * training output prefix is downloaded, held to its manifest (a file the manifest does not list is refused here;
 * one it lists missing or not of its sha256 by the registry's check before any upload), and published with
 * `publishModel`: its files under the models prefix and a model package, PendingManualApproval, in the group.
 * A retried step (the same artifact, already registered) answers the package made the first time.
 */
export function createRegisterHandler(deps: RegisterDeps) {
  const config = RegisterConfigSchema.parse(deps.config);
  return async (event: unknown): Promise<RegisterResult> => {
    const { artifactUri, note } = parseRegisterEvent(event);
    const prefix = artifactPrefix(artifactUri, config);
    const shownAs = `s3://${config.artifactBucket}/${prefix}`;
    const work = await mkdtemp(path.join(deps.tmpDir ?? os.tmpdir(), 'mailroute-register-'));
    try {
      const dir = await downloadPrefixAtomically(deps.s3, config.artifactBucket, prefix, path.join(work, 'artifact'), (copy) => refuseUnlisted(copy, shownAs));
      const registry = new S3SageMakerRegistry({
        s3: deps.s3,
        sagemaker: deps.sagemaker,
        bucket: config.artifactBucket,
        prefix: config.modelsPrefix,
        modelPackageGroupName: config.modelPackageGroupName,
        inferenceImage: config.inferenceImage,
        cacheDir: path.join(work, 'cache'),
      });
      const { version, modelPackageArn } = await publishOnce(registry, dir, note).catch((error: unknown) => {
        // The registry's errors name the working copy; the artifact is the one in S3.
        if (!(error instanceof RegistryError)) throw error;
        throw new RegistryError(error.code, error.message.replaceAll(`${dir}/`, shownAs).replaceAll(dir, shownAs), { cause: error });
      });
      return { [MODEL_ID]: version.id, [MODEL_PACKAGE_ARN]: modelPackageArn } as RegisterResult;
    } catch (error) {
      throw noRoomError(error, shownAs) ?? error;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}

/**
 * The error of an artifact that did not fit the Lambda's /tmp (ENOSPC), in words that name the artifact and the
 * setting (the stack gives the register Lambda 10 GB, Lambda's most; a bare `ENOSPC: no space left on device,
 * write` named neither); undefined for any other error.
 */
export function noRoomError(error: unknown, shownAs: string): Error | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ENOSPC') return undefined;
  return new Error(
    `${shownAs} does not fit this Lambda's /tmp, where the register step downloads the whole artifact: give the function more ephemeral storage (the stack's register Lambda has 10,240 MB, Lambda's most), or train a smaller model (fewer buckets, a smaller dim)`,
    { cause: error },
  );
}

/**
 * `publishModel`, or, when the model is registered already (REGISTRY_DUPLICATE) with this very manifest, the
 * package made then: a step retried after its Lambda registered the model (a timeout, a lost answer). Another
 * manifest under the id stays a duplicate. The registry checks every file before it looks for duplicates, so a
 * retry of an artifact changed since still fails on the file.
 */
async function publishOnce(registry: S3SageMakerRegistry, dir: string, note: string | undefined) {
  try {
    return await publishModel({ registry, artifactDir: dir, note });
  } catch (error) {
    if (!(error instanceof RegistryError) || error.code !== 'REGISTRY_DUPLICATE') throw error;
    const manifest = await readFile(path.join(dir, 'manifest.json'));
    const { modelId } = summarizeManifest(JSON.parse(manifest.toString('utf8')));
    const existing = modelId === undefined ? undefined : await registry.modelPackage(modelId).catch(() => undefined);
    if (existing?.version.manifestSha256 !== sha256(manifest)) throw error;
    return existing;
  }
}

/**
 * The copy must be an artifact directory and nothing else: manifest.json naming its modelId (the version id,
 * which a retried step finds its package by; the registry's check refuses a manifest without one too, later) and
 * no file it does not list (which the registry would upload unchecked beside the model).
 */
async function refuseUnlisted(copy: string, shownAs: string): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(copy, 'manifest.json'), 'utf8'));
  } catch (cause) {
    throw new RegistryArtifactError(`${shownAs}: no readable manifest.json (${(cause as Error).message.split('\n')[0]}); nothing was registered`, { cause });
  }
  let manifest: ReturnType<typeof summarizeManifest>;
  try {
    manifest = summarizeManifest(json);
  } catch (cause) {
    throw new RegistryArtifactError(`${shownAs}: ${(cause as Error).message}; nothing was registered`, { cause });
  }
  if (manifest.modelId === undefined) throw new RegistryArtifactError(`${shownAs}manifest.json names no modelId; nothing was registered`);
  const listed = new Set(['manifest.json', ...Object.keys(manifest.files)]);
  const unlisted = (await listFiles(copy)).filter((file) => !listed.has(file));
  if (unlisted.length > 0) {
    throw new RegistryArtifactError(`${shownAs}: ${unlisted.join(', ')} not listed in manifest.json (no sha256 to check it against); nothing was registered`);
  }
}

/** The register Lambda's handler: settings from the environment (REGISTER_ENV), SDK clients for its region. */
export function createRegisterHandlerFromEnv(env: Record<string, string | undefined>, deps: Partial<Omit<RegisterDeps, 'config'>> = {}) {
  const config = registerConfigFromEnv(env);
  return createRegisterHandler({ s3: deps.s3 ?? new S3Client({}), sagemaker: deps.sagemaker ?? new SageMakerClient({}), config, tmpDir: deps.tmpDir });
}
