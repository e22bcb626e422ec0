import type { Email } from '@mailroute/preprocess';
import type { EmailPrediction } from './prediction.js';
import type { ClassifierTask } from './task-labels.js';
import type { GateRecord } from './registry/gate-record.js';
import { abstainingTasks, type AutomatedQueues, type RoutingPolicy } from './routing.js';

/**
 * What serving needs of a classifier. The local `Classifier` (onnxruntime-node) and the AWS
 * adapter that calls a SageMaker endpoint both implement it.
 */
export interface EmailClassifier {
  readonly modelId: string;
  /** Tasks in manifest order with their ordered labels (and old label names, when the model knows them). */
  readonly tasks: ReadonlyArray<ClassifierTask>;
  /** How its answers are routed (the manifest's): absent where the classifier does not know it (a manifest that does not say). */
  readonly routing?: ServedRouting;
  /**
   * How the model of that id routes, for a classifier whose answers can come from several models (an endpoint's
   * variants during a canary): each answer is routed by the model that made it. Absent: `routing` serves all.
   */
  routingFor?(modelId: string): ServedRouting | undefined;
  /**
   * The text the model reads of an email (`prepareModelInput` of the fields its training config read): what
   * `--store-text` keeps, so a model retrained on it reads what this one read. Absent where the classifier does not
   * know its config (an endpoint's): every field is read then.
   */
  readonly modelText?: (email: Email) => string;
  predict(emails: readonly Email[]): Promise<EmailPrediction[]>;
  release(): Promise<void>;
}

/** A model's routing as served: the queue task, the tasks whose abstention sends mail to manual triage, each task's threshold. */
export interface ServedRouting {
  queueTask: string;
  /** The manifest's `abstainTasks`, or the queue task alone where it names none. */
  abstainTasks: readonly string[];
  /** Per task, the calibrated confidence under which it abstains. */
  thresholds: Readonly<Record<string, number>>;
  /** The queues of automated mail by kind, where the manifest names them (else manual triage). */
  automatedQueues?: AutomatedQueues;
  /**
   * The languages the model was trained on (`trainedLanguages` of the manifest's `training.languages`), sorted: mail
   * detected in another is answered with a warning. Absent where the manifest records none (models trained before).
   */
  languages?: readonly string[];
}

/** A language is trained on when at least this share of the counted rows is in it... */
export const TRAINED_LANGUAGE_SHARE = 0.01;
/** ...and at least this many rows. */
export const TRAINED_LANGUAGE_ROWS = 10;

/**
 * The languages a model was trained on, from the per-language row counts its manifest records
 * (`training.languages`, as cleaning detected them): those with at least 1% of the counted rows and at least 10 rows,
 * sorted; `und` (no language detected) never. Undefined when nothing is recorded (or no language qualifies, so that
 * nothing is warned of rather than everything), or the record is not counts.
 */
export function trainedLanguages(counts: unknown): string[] | undefined {
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) return undefined;
  const entries = Object.entries(counts).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const languages = entries
    .filter(([language, n]) => language !== 'und' && n >= TRAINED_LANGUAGE_ROWS && n >= TRAINED_LANGUAGE_SHARE * total)
    .map(([language]) => language)
    .sort();
  return languages.length > 0 ? languages : undefined;
}

/** The routing a manifest gives (`ServedRouting`). */
export function servedRouting(manifest: { routing: RoutingPolicy; tasks: readonly { name: string; threshold: number }[]; training?: unknown }): ServedRouting {
  const { routing } = manifest;
  const { training } = manifest;
  const languages = typeof training === 'object' && training !== null ? trainedLanguages((training as { languages?: unknown }).languages) : undefined;
  return {
    queueTask: routing.queueTask,
    abstainTasks: [...abstainingTasks(routing)],
    thresholds: Object.fromEntries(manifest.tasks.map((t) => [t.name, t.threshold])),
    ...(routing.automatedQueues ? { automatedQueues: { ...routing.automatedQueues } } : {}),
    ...(languages ? { languages } : {}),
  };
}

export const MODEL_STATUSES = ['PendingManualApproval', 'Approved', 'Rejected'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/**
 * Characters of a text field (subject, body, the visible text of the HTML) the server passes on to the model by
 * default (`maxTextChars`), the rest cut: a training config may not featurize more (`maxChars`), or the model
 * would answer otherwise served than in training.
 */
export const DEFAULT_MAX_TEXT_CHARS = 20_000;

/** One decision on a version: who set which status when, and why. */
export interface StatusChange {
  status: ModelStatus;
  at: string;
  by?: string;
  note?: string;
  /**
   * The gate on record when the decision was made (an approval or rejection; absent when there was none, and on
   * decisions recorded before this field): the evaluation it was made on, kept with it (both registries: the local one in its index, the S3 one as a
   * decision record beside the version's gate).
   */
  gate?: GateRecord;
}

/** What approve and reject take (and `setChampion`, for the champion history where a registry keeps one). */
export interface StatusChangeOptions {
  /**
   * Who decides, as given: the CLI passes `--by`, else the OS account (`$USER`, else the account name), which is
   * no verified identity; on AWS the IAM principal in CloudTrail is.
   */
  by?: string;
  /** Why; kept as `statusNote` and in the history, never over the registration note. */
  note?: string;
}

/** One registered model version (SageMaker: a model package). */
export interface ModelVersion {
  /** Stable id, e.g. `ngram-bag-20261129-101500-ab12cd`. */
  id: string;
  version: number;
  status: ModelStatus;
  createdAt: string;
  family: string;
  tasks: string[];
  dataHash: string;
  /** Headline metrics, e.g. `{ "queue.macro_f1": 0.81 }`. */
  metrics: Record<string, number>;
  /** Which rows `metrics` were measured on, e.g. `held-out test split (seed 0, 0.2)`; absent when unknown. */
  measuredOn?: string;
  /** The last approval or rejection: when, by whom, and its note. */
  statusChangedAt?: string;
  statusChangedBy?: string;
  statusNote?: string;
  /** The note given at registration (`mailroute train --note`). */
  note?: string;
  runId?: string;
  /**
   * sha256 of `manifest.json` as registered: the manifest lists the other files' hashes but cannot hold its
   * own, so the registry keeps it, and `artifactDir` refuses an artifact whose manifest changed since.
   */
  manifestSha256?: string;
  /** Every status the version had, oldest first (the local registry in its index; the S3 one as decision records, SageMaker keeping only the last). */
  history?: StatusChange[];
  /**
   * The gate `mailroute compare` ran with this version as challenger (`recordGate`; both registries keep it): the
   * last one while it awaited its decision, then the one its decision was made on (no gate is recorded after it).
   */
  gate?: GateRecord;
  /** When `registry prune` removed its artifact (the local registry): its record stays, nothing can load it. */
  prunedAt?: string;
}

/** The model registry: a local directory by default, S3 + SageMaker Model Registry in AWS. */
export interface ModelRegistry {
  /** Copies a finished artifact directory in atomically; the new version is PendingManualApproval. */
  register(artifactDir: string, options?: { note?: string; runId?: string }): Promise<ModelVersion>;
  list(): Promise<ModelVersion[]>;
  get(id: string): Promise<ModelVersion>;
  /**
   * Approve also makes the version the champion unless `{ promote: false }`. A Rejected version, or one
   * whose recorded gate failed, is approved only with `{ force: true }` (a rejection is a person's
   * decision, a failed gate a measured one; overriding either must be meant).
   * A registry whose champion is what a deployment serves (AWS: every approval deploys) refuses
   * `promote: false`, and a `setChampion` it cannot make true, with `REGISTRY_NOT_SUPPORTED`.
   */
  approve(id: string, options?: StatusChangeOptions & { promote?: boolean; force?: boolean }): Promise<ModelVersion>;
  /**
   * Keeps the outcome of a gate run with `id` as challenger on the version (the last one replaces any
   * earlier one) while it awaits its decision (`PendingManualApproval`). Where it is kept, `approve` refuses a
   * version whose last gate failed with `REGISTRY_GATE_FAILED` unless `{ force: true }`, and then says so in the
   * decision's note. An Approved or Rejected version is refused (`REGISTRY_DECIDED`): its gate is the one that
   * decision was made on. An id the registry does not hold is refused (`REGISTRY_NOT_FOUND`); nothing is written
   * on a refusal.
   */
  recordGate(id: string, gate: GateRecord): Promise<ModelVersion>;
  /**
   * Rejecting the champion hands the alias back to the previous champion that is still Approved (a
   * rollback that servers pick up at their next poll); when no earlier champion is, to the newest
   * Approved version whose last gate did not fail; else it leaves no champion. Rejecting a Rejected
   * version changes nothing (the first rejection stays the decision on record).
   */
  reject(id: string, options?: StatusChangeOptions): Promise<ModelVersion>;
  champion(): Promise<ModelVersion | undefined>;
  /** Makes an Approved version the champion; `by` and `note` go into the champion history (both registries keep one). */
  setChampion(id: string, options?: StatusChangeOptions): Promise<void>;
  /** A local directory holding the artifact (remote registries download it to a cache first). */
  artifactDir(id: string): Promise<string>;
}
