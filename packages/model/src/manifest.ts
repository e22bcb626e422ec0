import { z } from 'zod';
import { FeaturizerSpecSchema } from '@mailroute/preprocess';
import { IDF_FILE } from './idf-file.js';
import { CATCH_ALL_LABEL } from './routing.js';
import { normalizeLabel } from './task-labels.js';

export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
/** The longest model id: the registry names directories after it (with a staging prefix and suffix, under the 255 bytes of a file name). */
export const MAX_MODEL_ID_LENGTH = 200;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');
const FileNameSchema = z.string().regex(/^[A-Za-z0-9._-]+$/, 'a plain file name').refine((name) => name !== MANIFEST_FILE && !name.startsWith('.'));
/** The artifact's files (plain names beside the manifest) and their sha256. */
export const ManifestFilesSchema = z.record(FileNameSchema, Sha256Schema, {
  // zod's own words for a bad key are "Invalid key in record", whatever the key.
  error: (issue) => (issue.code === 'invalid_key' ? 'not a plain file name beside manifest.json (letters, digits, . _ -; not manifest.json, no leading .)' : undefined),
});

export const ManifestTaskSchema = z.object({
  name: z.string().min(1),
  /**
   * Ordered labels: index i is the i-th probability of the task's ONNX output. Read in NFC, as data, configs,
   * prediction files and feedback are: a model trained before labels were normalised may carry them decomposed.
   */
  labels: z.array(z.string().min(1).overwrite(normalizeLabel)).min(1),
  /** Softmax temperature fitted on the validation split (already applied inside the ONNX graph). */
  temperature: z.number().positive(),
  /** Abstain when the calibrated confidence is below this. */
  threshold: z.number().min(0).max(1),
  /**
   * Labels the training data carried under the task's minCount that training merged into `other` (`rare:
   * "other"`): no class of their own, their rows taught `other`. Feedback and test files that carry one are
   * read as `other`, as training read them. Optional: models trained before it was kept do not say.
   */
  mergedIntoOther: z.array(z.string().min(1).overwrite(normalizeLabel)).optional(),
  /**
   * Labels the training data carried under the task's minCount that training dropped (`rare: "drop"`): their rows
   * were masked for the task. A test file's rows that carry one are masked too, as training's own test rows were,
   * not scored as `other`. Optional: models trained before it was kept do not say.
   */
  droppedAsRare: z.array(z.string().min(1).overwrite(normalizeLabel)).optional(),
});
export type ManifestTask = z.infer<typeof ManifestTaskSchema>;

export const OnnxSpecSchema = z.object({
  file: FileNameSchema.default('model.onnx'),
  opset: z.number().int().positive(),
  /** Input tensor names: `ids` int32 [batch, L] padded with 0, `weights` float32 [batch, L] (0 for padding). */
  inputs: z.object({ ids: z.string().min(1), weights: z.string().min(1) }),
  /** Output tensor name per task: float32 [batch, labels] calibrated probabilities. */
  outputs: z.record(z.string(), z.string().min(1)),
  /**
   * Optional: one more output holding every task's probabilities side by side, in the order of `tasks`:
   * float32 [batch, sum of the label counts]. When it is there the runtime fetches only it, as each
   * output tensor costs onnxruntime-node a few microseconds per run, more than the Concat that makes it.
   */
  combined: z.string().min(1).optional(),
});
export type OnnxSpec = z.infer<typeof OnnxSpecSchema>;

/** Per kind of automated mail, the queue a model routes it to (its training config's `routing.automatedQueues`). */
export const AutomatedQueuesSchema = z.object({ auto_reply: z.string().min(1).optional(), delivery_failure: z.string().min(1).optional() });

/** The model artifact's manifest (`manifest.json`), versioned by `schemaVersion`. */
export const ManifestSchema = z
  .object({
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
    modelId: z.string().min(1).max(MAX_MODEL_ID_LENGTH),
    family: z.enum(['ngram-bag', 'transformer']),
    createdAt: z.string().datetime({ offset: true }),
    tasks: z.array(ManifestTaskSchema).min(1),
    /**
     * Routing: the task whose label is the target queue, the tasks whose abstention sends mail to manual triage, and
     * the queues of automated mail by kind (default: manual triage).
     */
    routing: z.object({
      queueTask: z.string().min(1),
      abstainTasks: z.array(z.string()).optional(),
      automatedQueues: AutomatedQueuesSchema.optional(),
    }),
    featurizer: FeaturizerSpecSchema,
    onnx: OnnxSpecSchema,
    /** Hash of the training data (as the trainer computed it). */
    dataHash: z.string().min(1),
    /**
     * How the mailroute that trained the model turned emails into model input (`inputFingerprint()`); absent
     * in models trained before it was kept. Loading a model whose fingerprint differs from the code's warns.
     */
    inputFingerprint: z.string().min(1).optional(),
    metrics: z.record(z.string(), z.unknown()).default({}),
    trainingConfig: z.unknown().optional(),
    /** Trainer facts: hyper-parameters, best epoch, example counts. */
    training: z.record(z.string(), z.unknown()).optional(),
    /** sha256 of every file of the artifact except manifest.json. */
    files: ManifestFilesSchema,
  })
  .superRefine((manifest, ctx) => {
    const names = manifest.tasks.map((task) => task.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['tasks'], message: 'task names must be unique' });
    for (const task of manifest.tasks) {
      if (new Set(task.labels).size !== task.labels.length) ctx.addIssue({ code: 'custom', path: ['tasks', task.name], message: 'labels must be unique' });
      const merged = task.mergedIntoOther ?? [];
      if (merged.length > 0 && !task.labels.includes(CATCH_ALL_LABEL)) ctx.addIssue({ code: 'custom', path: ['tasks', task.name, 'mergedIntoOther'], message: `labels merged into ${CATCH_ALL_LABEL} need ${CATCH_ALL_LABEL} among the labels` });
      for (const label of merged.filter((l) => task.labels.includes(l))) ctx.addIssue({ code: 'custom', path: ['tasks', task.name, 'mergedIntoOther'], message: `${label} is a label of the task, not merged into ${CATCH_ALL_LABEL}` });
      if (!manifest.onnx.outputs[task.name]) ctx.addIssue({ code: 'custom', path: ['onnx', 'outputs', task.name], message: 'no ONNX output for task' });
    }
    if (manifest.onnx.combined !== undefined && Object.values(manifest.onnx.outputs).includes(manifest.onnx.combined)) {
      ctx.addIssue({ code: 'custom', path: ['onnx', 'combined'], message: 'the combined output needs a name of its own' });
    }
    for (const routed of [manifest.routing.queueTask, ...(manifest.routing.abstainTasks ?? [])]) {
      if (!names.includes(routed)) ctx.addIssue({ code: 'custom', path: ['routing'], message: `unknown task ${routed}` });
    }
    if (!(manifest.onnx.file in manifest.files)) ctx.addIssue({ code: 'custom', path: ['files'], message: `no hash for ${manifest.onnx.file}` });
    if (manifest.featurizer.params.idf && !(IDF_FILE in manifest.files)) ctx.addIssue({ code: 'custom', path: ['files'], message: `the featurizer uses IDF: ${IDF_FILE} is needed` });
  });
export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestInput = z.input<typeof ManifestSchema>;

/** JSON Schema of the manifest, for writers outside TypeScript (the Python SageMaker trainer). */
export function manifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ManifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
