import { z } from 'zod';
import { ManifestTestFactsSchema, measuredOnOfManifest, MODEL_STATUSES, RegistryError, type ModelStatus, type ModelVersion } from '@mailroute/model';
import { headUnits } from '@mailroute/evaluation';
import { RegistryArtifactError } from './errors.js';

/**
 * The few manifest fields the registry records. Parsed loosely on purpose: the model package owns the
 * full manifest schema (which `register` checks first: every manifest registered has a family and a data hash);
 * the registry only needs the id, the family, the task names, the data hash and the files' sha256s. The
 * register Lambda reads the id and the files of a training job's output with it, before the registry's check.
 */
export const ManifestSummarySchema = z.looseObject({
  /** A plain name, which the loader does not ask of it: S3 keys and the download cache are named after it. */
  modelId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).max(200).optional(),
  family: z.string(),
  tasks: z.array(z.looseObject({ name: z.string() })).min(1),
  dataHash: z.string(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  /** Each file's sha256 (hex): what the upload holds the stored objects to. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
}).extend(ManifestTestFactsSchema.shape);

export function summarizeManifest(json: unknown): {
  modelId?: string;
  family: string;
  tasks: string[];
  dataHash: string;
  metrics: Record<string, number>;
  measuredOn?: string;
  files: Record<string, string>;
} {
  const parsed = ManifestSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegistryArtifactError(`manifest.json is not a model manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const m = parsed.data;
  return {
    // Which rows the metrics come from, as the local registry records it (`registry list`'s "measured on").
    ...measuredOnOfManifest(m),
    modelId: m.modelId,
    metrics: headlineMetrics(m.metrics),
    family: m.family,
    tasks: m.tasks.map((t) => t.name),
    dataHash: m.dataHash,
    files: m.files ?? {},
  };
}

/**
 * Numeric headline metrics, nested objects flattened with dots (`queue.macro_f1`) as the local registry
 * does, by its rule of depth: an object is read while the name before it has fewer than three dotted parts,
 * so `queue.per_label.billing.f1` is kept (counting levels instead dropped the fourth, which the local
 * registry keeps); at most `max` of them, since SageMaker takes 50 customer metadata entries per package.
 */
export function headlineMetrics(json: unknown, max = MAX_METRICS): Record<string, number> {
  const all: Array<[string, number]> = [];
  const walk = (value: unknown, prefix: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof v === 'number' && Number.isFinite(v)) all.push([name, v]);
      else if (prefix.split('.').length < 3) walk(v, name);
    }
  };
  walk(json, '');
  // Beyond `max`, the headline figures are kept first (the means, then each task's macro-F1 and accuracy), the
  // rest in the manifest's order: with ten tasks the means, which the manifest lists last, were the ones cut.
  const kept = all.length <= max ? all : [...all].sort((a, b) => headlineRank(a[0]) - headlineRank(b[0])).slice(0, max);
  const keep = new Set(kept.map(([name]) => name));
  return Object.fromEntries(all.filter(([name]) => keep.has(name)));
}

/** 0 for the means, 1 for a task's macro-F1, 2 for its accuracy, 3 for the rest (a stable sort keeps their order). */
function headlineRank(name: string): number {
  if (/^mean_/.test(name)) return 0;
  if (/^[^.]+\.macro_f1$/.test(name)) return 1;
  if (/^[^.]+\.accuracy$/.test(name)) return 2;
  return 3;
}

const META = 'mailroute:';
const METRIC = 'mailroute:metric:';
/** SageMaker's limits on customer metadata: 256 characters per value, 128 per key, 50 entries per package. */
const MAX_VALUE = 256;
const MAX_KEY = 128;
/** What ApprovalDescription keeps of a decision's note (SageMaker takes 1,024). */
const APPROVAL_DESCRIPTION_KEPT = 1000;
/**
 * Entries besides the metrics a package can carry: id, family, tasks, dataHash, runId, measuredOn,
 * manifestSha256 and note at registration, then statusChangedAt, statusChangedBy and statusNote.
 */
const FIXED_ENTRIES = 11;
/** Headline metrics kept per package, so that every entry fits SageMaker's 50. */
export const MAX_METRICS = 50 - FIXED_ENTRIES;

/** The characters SageMaker allows in a metadata key or value (`^([\p{L}\p{Z}\p{N}_.:\/=+\-@]*)$`); `=` is the escape here. */
const ALLOWED = /[\p{L}\p{Z}\p{N}_.:/+\-@]/u;

/**
 * A value SageMaker takes: every other character (`,` `(` `'` `!`, and `=` itself) as `=XX` per UTF-8
 * byte, readable enough in the console (`held-out test split =28seed 3=2C 0.2=29`); cut to `max`
 * characters between whole characters, never inside an escape.
 */
export function encodeMeta(value: string, max = MAX_VALUE): string {
  let out = '';
  for (const ch of value) {
    const piece = ALLOWED.test(ch) ? ch : [...new TextEncoder().encode(ch)].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (out.length + piece.length > max) break;
    out += piece;
  }
  return out;
}

export function decodeMeta(value: string): string {
  if (!value.includes('=')) return value;
  return value.replace(/(?:=[0-9A-F]{2})+/g, (run) => new TextDecoder().decode(Uint8Array.from(run.slice(1).split('=').map((h) => parseInt(h, 16)))));
}

/**
 * The task names as one metadata value, read back by splitting at `,`. A name that would not come back as it is
 * is refused before anything is uploaded: an empty one (SageMaker refuses an empty value), one with a `,` (read
 * back as two), or names too long together for the 256 characters (the list would be cut, tasks lost).
 */
function tasksValue(tasks: readonly string[]): string {
  const bad = tasks.find((t) => t === '' || t.includes(','));
  if (bad !== undefined) throw new RegistryArtifactError(`manifest.json: task name ${JSON.stringify(bad)} cannot be recorded in the model package (task names must be non-empty and have no ","); nothing was registered`);
  const value = encodeMeta(tasks.join(','), Infinity);
  if (value.length > MAX_VALUE) {
    throw new RegistryArtifactError(`manifest.json: the task names (${tasks.join(', ')}) take ${value.length} characters in the model package's metadata, over SageMaker's ${MAX_VALUE}; nothing was registered`);
  }
  return value;
}

/** ModelVersion fields as SageMaker CustomerMetadataProperties (string to string, in SageMaker's characters). */
export function toCustomerMetadata(v: Omit<ModelVersion, 'version' | 'status' | 'createdAt'>): Record<string, string> {
  const props: Record<string, string> = {
    [`${META}id`]: encodeMeta(v.id),
    [`${META}family`]: encodeMeta(v.family || 'unknown'),
    [`${META}tasks`]: tasksValue(v.tasks),
    [`${META}dataHash`]: encodeMeta(v.dataHash || 'unknown'),
  };
  if (v.runId) props[`${META}runId`] = encodeMeta(v.runId);
  if (v.measuredOn) props[`${META}measuredOn`] = encodeMeta(v.measuredOn);
  if (v.manifestSha256) props[`${META}manifestSha256`] = v.manifestSha256;
  if (v.note) props[`${META}note`] = encodeMeta(v.note);
  let metrics = 0;
  for (const [name, value] of Object.entries(v.metrics)) {
    const key = `${METRIC}${encodeMeta(name, MAX_KEY)}`;
    if (key.length > MAX_KEY || metrics >= MAX_METRICS) continue;
    props[key] = String(value);
    metrics += 1;
  }
  return props;
}

/** A decision's note as UpdateModelPackage's ApprovalDescription (at most 1,024 characters): its first 1,000, never half a character. */
export function approvalDescription(note: string | undefined): string | undefined {
  return note === undefined ? undefined : headUnits(note, Math.min(note.length, APPROVAL_DESCRIPTION_KEPT));
}

/** The metadata of a decision, and the keys of the previous decision it leaves out (to remove). */
export function statusChangeMetadata(by: string | undefined, at: string, note: string | undefined): { props: Record<string, string>; remove: string[] } {
  const props: Record<string, string> = { [`${META}statusChangedAt`]: encodeMeta(at) };
  const remove: string[] = [];
  if (by) props[`${META}statusChangedBy`] = encodeMeta(by);
  else remove.push(`${META}statusChangedBy`);
  if (note) props[`${META}statusNote`] = encodeMeta(note);
  else remove.push(`${META}statusNote`);
  return { props, remove };
}

export function toModelStatus(value: string | undefined): ModelStatus {
  const status = MODEL_STATUSES.find((s) => s === value);
  if (!status) throw new RegistryError('REGISTRY_INDEX_INVALID', `unknown model approval status ${value}`);
  return status;
}

/** A described SageMaker model package back to a ModelVersion. */
export function fromModelPackage(pkg: {
  ModelPackageVersion?: number;
  ModelApprovalStatus?: string;
  CreationTime?: Date;
  CustomerMetadataProperties?: Record<string, string>;
  ApprovalDescription?: string;
}): ModelVersion {
  const props = pkg.CustomerMetadataProperties ?? {};
  const raw = props[`${META}id`];
  const id = raw === undefined ? undefined : decodeMeta(raw);
  if (!id) throw new RegistryError('REGISTRY_INDEX_INVALID', 'model package lacks mailroute:id metadata (not registered by mailroute)');
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith(METRIC)) metrics[decodeMeta(key.slice(METRIC.length))] = Number(value);
  }
  const version: ModelVersion = {
    id,
    version: pkg.ModelPackageVersion ?? 0,
    status: toModelStatus(pkg.ModelApprovalStatus),
    createdAt: (pkg.CreationTime ?? new Date(0)).toISOString(),
    family: decodeMeta(props[`${META}family`] ?? 'unknown'),
    tasks: decodeMeta(props[`${META}tasks`] ?? '').split(',').filter(Boolean),
    dataHash: decodeMeta(props[`${META}dataHash`] ?? 'unknown'),
    metrics,
  };
  const optional = { statusChangedAt: 'statusChangedAt', statusChangedBy: 'statusChangedBy', statusNote: 'statusNote', note: 'note', runId: 'runId', measuredOn: 'measuredOn', manifestSha256: 'manifestSha256' } as const;
  for (const [field, key] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = props[`${META}${key}`];
    if (value !== undefined) version[field] = decodeMeta(value);
  }
  // The metadata keeps 256 characters of a decision's note; ApprovalDescription, written with it, keeps 1,000.
  const approval = pkg.ApprovalDescription;
  if (version.statusNote !== undefined && approval !== undefined && approval.length > version.statusNote.length && approval.startsWith(version.statusNote)) {
    version.statusNote = approval;
  }
  return version;
}
