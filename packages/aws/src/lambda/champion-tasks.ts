import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { AutomatedQueuesSchema, classifierTasks, servedRouting, type ClassifierTask, type Manifest, type ServedRouting } from '@mailroute/model';
import { trainingDistributionOf } from '@mailroute/serving';
import { RegistryArtifactError } from '../errors.js';
import { readObjectText } from '../s3-objects.js';

const TasksManifestSchema = z.looseObject({
  // mergedIntoOther: the labels training merged into other, read as other by the feedback and quality routes.
  tasks: z.array(z.looseObject({ name: z.string(), labels: z.array(z.string()).min(1), mergedIntoOther: z.array(z.string()).optional(), threshold: z.number().optional() })).min(1),
  // How the model routes, for /v1/model and the route of automated mail (a manifest without it, or a task without a
  // threshold, says nothing of it; automatedQueues of another form is read as none).
  routing: z
    .looseObject({
      queueTask: z.string(),
      abstainTasks: z.array(z.string()).optional(),
      automatedQueues: AutomatedQueuesSchema.optional().catch(undefined),
    })
    .optional(),
});

/** A model's tasks and, where its manifest says, how it routes (`/v1/model`'s `routing`). */
export interface ModelInfo {
  tasks: ClassifierTask[];
  routing?: ServedRouting;
}

/**
 * The object as JSON; `undefined` when it does not exist (404). A 403 fails (`S3_ACCESS_DENIED`), see
 * readObjectText; so does an object that is not JSON (REGISTRY_ARTIFACT_INVALID naming it, not a bare
 * SyntaxError that leaves the log to guess which of the manifests and pointer it was).
 */
async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown | undefined> {
  const text = await readObjectText(s3, bucket, key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text || 'null');
  } catch (cause) {
    throw new RegistryArtifactError(`s3://${bucket}/${key} is not JSON (${(cause as Error).message})`, { cause });
  }
}

/** The artifact directory the endpoint serves before the first approval (`<prefix>bootstrap/`). */
export const BOOTSTRAP_MODEL = 'bootstrap';

/**
 * Manifests read once per container: a published model's manifest never changes under its id, and the cold path
 * read it three times (the champion's tasks, the endpoint's canary answer, drift's label shares), an S3 GET each.
 * Only manifests found are kept (a model published later is read then); the bootstrap's is read each time, since
 * a new bootstrap artifact replaces it under the same key; a failed read is forgotten and tried again.
 */
export class ManifestCache {
  private readonly found = new Map<string, Promise<unknown>>();

  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  /** The object at `key` as JSON (see readJson), from the cache when a published manifest was read before. */
  read(key: string): Promise<unknown | undefined> {
    if (!key.endsWith('/manifest.json') || key.endsWith(`/${BOOTSTRAP_MODEL}/manifest.json`) || key === `${BOOTSTRAP_MODEL}/manifest.json`) {
      return readJson(this.s3, this.bucket, key);
    }
    const kept = this.found.get(key);
    if (kept) return kept;
    const pending = readJson(this.s3, this.bucket, key);
    this.found.set(key, pending);
    pending.then(
      (value) => {
        if (value === undefined) this.found.delete(key);
      },
      () => this.found.delete(key),
    );
    return pending;
  }
}

/** readJson, or the cache's read when one is given. */
const jsonOf = (s3: S3Client, bucket: string, key: string, cache: ManifestCache | undefined): Promise<unknown | undefined> =>
  cache ? cache.read(key) : readJson(s3, bucket, key);

/**
 * The task list of the model the registry calls champion (or the bootstrap model before the first
 * approval), read from its manifest in S3: the API Lambda needs it for `EmailClassifier.tasks`
 * without loading the model.
 */
export async function loadChampionTasks(
  s3: S3Client,
  bucket: string,
  prefix: string,
  cache?: ManifestCache,
): Promise<{ modelId: string } & ModelInfo> {
  const pointer = (await readJson(s3, bucket, `${prefix}champion.json`)) as { id?: unknown } | undefined;
  const modelId = typeof pointer?.id === 'string' ? pointer.id : BOOTSTRAP_MODEL;
  return { modelId, ...(await loadModelInfo(s3, bucket, prefix, modelId, cache)) };
}

/**
 * Whether `modelId` is the bootstrap model the endpoint serves before the first approval: its directory's
 * name, or the model id its manifest names (which the endpoint answers with and predictions record).
 */
export async function isBootstrapModel(s3: S3Client, bucket: string, prefix: string, modelId: string): Promise<boolean> {
  if (modelId === BOOTSTRAP_MODEL) return true;
  const manifest = (await readJson(s3, bucket, `${prefix}${BOOTSTRAP_MODEL}/manifest.json`)) as { modelId?: unknown } | undefined;
  return manifest?.modelId === modelId;
}

/** Whether `<prefix>champion.json` exists (it does from the first approval on). */
export async function hasChampionPointer(s3: S3Client, bucket: string, prefix: string): Promise<boolean> {
  return (await readJson(s3, bucket, `${prefix}champion.json`)) !== undefined;
}

/** The task list of one model, from its manifest in S3 (`<prefix><modelId>/manifest.json`). */
export async function loadModelTasks(s3: S3Client, bucket: string, prefix: string, modelId: string, cache?: ManifestCache): Promise<ClassifierTask[]> {
  return (await loadModelInfo(s3, bucket, prefix, modelId, cache)).tasks;
}

/** The task list of one model and its routing, from its manifest in S3 (`<prefix><modelId>/manifest.json`). */
export async function loadModelInfo(s3: S3Client, bucket: string, prefix: string, modelId: string, cache?: ManifestCache): Promise<ModelInfo> {
  const manifest = await jsonOf(s3, bucket, `${prefix}${modelId}/manifest.json`, cache);
  // Not found (a model deleted, or never published): a code the feedback and quality routes remember instead of asking again.
  if (manifest === undefined) throw new RegistryArtifactError(`s3://${bucket}/${prefix}${modelId}/manifest.json does not exist`, { code: 'REGISTRY_NOT_FOUND' });
  const parsed = TasksManifestSchema.safeParse(manifest);
  if (!parsed.success) throw new RegistryArtifactError(`s3://${bucket}/${prefix}${modelId}/manifest.json has no task list`);
  // The training config's aliases and retired labels, and the labels merged into other, come along: the feedback and quality routes need them.
  const tasks = classifierTasks(parsed.data);
  const { routing } = parsed.data;
  const thresholds = parsed.data.tasks.flatMap((t) => (t.threshold === undefined ? [] : [{ name: t.name, threshold: t.threshold }]));
  if (routing === undefined || thresholds.length < parsed.data.tasks.length) return { tasks };
  // The languages it was trained on (training.languages), so that mail in another is answered with a warning.
  return { tasks, routing: servedRouting({ routing, tasks: thresholds, training: parsed.data.training }) };
}

/**
 * The training label shares of one model (its manifest's `training.labelDistribution`, see
 * `trainingDistributionOf`), which `/v1/quality` measures drift against; undefined when the manifest records
 * none. The bootstrap model answers under its manifest's own id: its manifest is read from its directory.
 */
export async function loadTrainingDistribution(
  s3: S3Client,
  bucket: string,
  prefix: string,
  modelId: string,
  cache?: ManifestCache,
): Promise<Record<string, Record<string, number>> | undefined> {
  const own = await jsonOf(s3, bucket, `${prefix}${modelId}/manifest.json`, cache);
  const manifest = own ?? (await readJson(s3, bucket, `${prefix}${BOOTSTRAP_MODEL}/manifest.json`));
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  if (own === undefined && (manifest as { modelId?: unknown }).modelId !== modelId) return undefined;
  return trainingDistributionOf(manifest as Pick<Manifest, 'metrics' | 'training'>);
}
