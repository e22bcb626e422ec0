import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Classifier, inputFingerprintNote, MANIFEST_FILE, readManifest, type EmailClassifier, type Manifest, type ModelRegistry } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { z } from 'zod';
import { ModelLoadError } from '../errors.js';
import type { TrainingDistribution } from '../http/context.js';
import { silentLogger, type Logger } from '../http/logger.js';
import { createClassifierSource, registryTarget, type ClassifierSource, type ModelTarget } from './classifier-source.js';
import { loadClassifierInThread } from './thread-classifier.js';
import { verifyClassifier } from './verify.js';
import { classifierHealth, type HealthReporting, type ThreadFailureEvent } from './thread-health.js';
import { BUILT_IN_MASKING, describedMasking, maskStoredText, predictKeeping, type KeepingClassifier, type MaskText, type ThreadMasking } from './stored-text.js';

const DistributionSchema = z.record(z.string(), z.record(z.string(), z.number().nonnegative()));

/**
 * Training label shares per task, if the trainer recorded them in the manifest as
 * `training.labelDistribution` or `metrics.labelDistribution` (`{ task: { label: count or share } }`).
 */
export function trainingDistributionOf(manifest: Pick<Manifest, 'metrics' | 'training'>): Record<string, Record<string, number>> | undefined {
  const candidate = manifest.training?.labelDistribution ?? manifest.metrics?.labelDistribution;
  const parsed = DistributionSchema.safeParse(candidate);
  if (!parsed.success) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const [task, counts] of Object.entries(parsed.data)) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) out[task] = Object.fromEntries(Object.entries(counts).map(([l, v]) => [l, v / total]));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The model id a directory holds now (cheap: no hashing; `Classifier.load` verifies it fully). */
export async function manifestModelId(dir: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // A file given as the directory (`--model-dir model.onnx`) was "Loading model ? failed: ENOTDIR: ...".
    if (code === 'ENOTDIR') throw new ModelLoadError(`There is no model in ${dir}: it is a file, not a directory (give the directory of a model artifact).`, {}, { cause });
    if (code !== 'ENOENT') throw cause;
    // A path that does not exist (a typo) is said so, not as a directory without a manifest.
    const missing = await stat(dir).then(
      () => false,
      () => true,
    );
    if (missing) throw new ModelLoadError(`There is no model in ${dir}: no such directory (give the directory of a model artifact).`, {}, { cause });
    throw new ModelLoadError(`There is no model in ${dir}: it has no ${MANIFEST_FILE} (give the directory of a model artifact).`, {}, { cause });
  }
  return z.object({ modelId: z.string().min(1) }).parse(JSON.parse(text)).modelId;
}

export interface LocalModelSourceOptions {
  /** Serve the registry's champion (polled), or ... */
  registry?: ModelRegistry;
  /** ... one fixed artifact directory (SageMaker: /opt/ml/model). */
  modelDir?: string;
  logger?: Logger;
  /** onnxruntime threads per session. */
  intraOpThreads?: number;
  /**
   * Worker threads per served model (default 1), each with its own ONNX session, so cleaning,
   * featurizing and ONNX runs of big batches do not hold up the request thread; 0 runs every batch on
   * the calling thread.
   */
  threads?: number;
  /**
   * Batches of at most this many emails are scored on the calling thread even when model threads run
   * (default 32; 0: every batch goes to a model thread), unless their text is over `DEFAULT_INLINE_CHARS`:
   * for a few short emails, the hop to a model thread and back costs more than the work, while big batches
   * and long emails (a newsletter's HTML) would hold up the request thread.
   */
  inlineEmails?: number;
  /** Called for each model thread that exited while serving and each replacement that failed to load. */
  onThreadFailure?: (event: ThreadFailureEvent) => void;
  /** The model threads' entry (default: the real one); tests give one that fails. */
  threadWorkerUrl?: URL;
}

export const DEFAULT_INLINE_EMAILS = 32;

/**
 * Characters of text (subject, body and html together) a batch may hold and still be scored on the calling thread.
 * Cleaning costs about 16-21 ns per character of HTML or text, and a hop to a model thread and back about 110-220 µs
 * (median some 140 µs; 2-core dev machine, demo model): past some 8,000 characters an inline batch holds up every
 * other request for longer than the hop would have held up this one. Demo emails have 235 characters (median; 800
 * at most), so single emails, and the batches that requests arriving together make of them, stay inline.
 */
export const DEFAULT_INLINE_CHARS = 8_000;

/** Whether the emails' subject, body and html hold more than `max` characters together: their lengths only, never their text. */
export function textOver(emails: readonly Email[], max: number): boolean {
  let chars = 0;
  for (const e of emails) {
    chars += (e.subject?.length ?? 0) + (e.body?.length ?? 0) + (e.html?.length ?? 0);
    if (chars > max) return true;
  }
  return false;
}

/**
 * Small batches on `inline` (this thread), larger ones on `threaded`; both the same model. Small is at most
 * `maxInline` emails and at most `maxInlineChars` characters of text: 32 newsletters of 31 KB HTML each, inline, had
 * held up every other request (and /healthz) for over 0.1 s.
 */
export function splitBySize(inline: EmailClassifier, threaded: EmailClassifier, maxInline: number, maxInlineChars = DEFAULT_INLINE_CHARS): KeepingClassifier & HealthReporting {
  const pick = (emails: readonly Email[]) => (emails.length <= maxInline && !textOver(emails, maxInlineChars) ? inline : threaded);
  return {
    modelId: threaded.modelId,
    tasks: threaded.tasks,
    routing: threaded.routing,
    modelText: threaded.modelText,
    predict: (emails) => pick(emails).predict(emails),
    // The kept text (`--store-text`) where the model's input is made: on a model thread, or here from the inline cleaning.
    predictKeeping: (emails, mask) => predictKeeping(pick(emails), emails, mask),
    // Not ready when the threads cannot serve, though small batches still could: bigger ones would fail.
    health: () => classifierHealth(threaded),
    release: async () => {
      await Promise.all([inline.release(), threaded.release()]);
    },
  };
}

/**
 * The masking a model thread runs for `--store-text`'s: `maskPii` (`storeText: true`) is `maskStoredText` with no
 * patterns; `patternMasking`'s functions say theirs. Another function of a caller's own masks on the request thread.
 */
export function threadMasking(mask: MaskText): ThreadMasking | undefined {
  return mask === maskStoredText ? BUILT_IN_MASKING : describedMasking(mask);
}

export interface LocalModelSource {
  source: ClassifierSource;
  trainingDistribution: TrainingDistribution;
}

/** A classifier source over onnxruntime `Classifier`s loaded from local artifact directories. */
export function createLocalModelSource(options: LocalModelSourceOptions): LocalModelSource {
  const logger = options.logger ?? silentLogger;
  const distributions = new Map<string, Record<string, Record<string, number>> | undefined>();
  const { registry, modelDir } = options;
  let resolve: () => Promise<ModelTarget | undefined>;
  if (registry) resolve = registryTarget(registry, { checkFiles: true });
  else if (modelDir) resolve = async () => ({ id: await manifestModelId(modelDir), dir: modelDir });
  else throw new Error('createLocalModelSource needs a registry or a modelDir');
  const load = async (target: ModelTarget): Promise<EmailClassifier> => {
    if (options.threads === 0) {
      const classifier = await Classifier.load(target.dir, { logger, intraOpThreads: options.intraOpThreads });
      distributions.set(classifier.modelId, trainingDistributionOf(classifier.manifest));
      return classifier;
    }
    const workerUrl = options.threadWorkerUrl === undefined ? {} : { workerUrl: options.threadWorkerUrl };
    const threaded = await loadClassifierInThread(target.dir, { threads: options.threads, intraOpThreads: options.intraOpThreads, logger, onThreadFailure: options.onThreadFailure, threadMasking, ...workerUrl });
    distributions.set(threaded.modelId, trainingDistributionOf(threaded.manifest));
    const inlineEmails = options.inlineEmails ?? DEFAULT_INLINE_EMAILS;
    if (inlineEmails <= 0) {
      // Said here, as the request thread's own Classifier.load says it otherwise: a model trained under other cleaning.
      const otherInput = inputFingerprintNote(threaded.manifest);
      if (otherInput !== undefined) logger.warn(otherInput, { modelId: threaded.modelId });
      return threaded;
    }
    try {
      // The source checks the request thread's session (the canary is small); the threads' own session, which scores
      // the bigger batches, is checked here.
      await verifyClassifier(threaded);
      return splitBySize(await Classifier.load(target.dir, { logger, intraOpThreads: options.intraOpThreads }), threaded, inlineEmails);
    } catch (error) {
      await threaded.release();
      throw error;
    }
  };
  const source = createClassifierSource({ resolve, load, logger });
  return {
    source,
    // A model this process never loaded (`/v1/quality?model=<an earlier champion>`): its registry manifest, read once.
    trainingDistribution: async (modelId) => {
      if (distributions.has(modelId) || !registry) return distributions.get(modelId);
      const shares = await registryDistribution(registry, modelId);
      distributions.set(modelId, shares);
      return shares;
    },
  };
}

/** The training label shares in the registry's copy of a model's manifest; undefined for a model or manifest it cannot read. */
async function registryDistribution(registry: ModelRegistry, modelId: string): Promise<Record<string, Record<string, number>> | undefined> {
  try {
    return trainingDistributionOf(await readManifest(await registry.artifactDir(modelId)));
  } catch {
    return undefined;
  }
}
