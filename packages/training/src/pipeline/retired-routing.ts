import { CATCH_ALL_LABEL } from '@mailroute/model';
import { z } from 'zod';
import type { TrainingConfig } from '../config.js';
import type { TaskTaxonomyReport } from '../taxonomy.js';

/**
 * What a model's manifest keeps (`training.retiredRoutingRows`) of the rows whose routing label was retired, or was
 * under minCount and dropped (`rare: "drop"`): either way masked for that task.
 */
export interface RetiredRoutingRows {
  /** The task that routes mail (`routing.queueTask`). */
  task: string;
  /** Rows per retired label of that task (empty when only dropped ones). */
  rows: Record<string, number>;
  /** Whether the task has the catch-all `other` among its labels (else aliasing into it needs it added). */
  hasOther: boolean;
  /** Rows per label of that task under its minCount and dropped (`rare: "drop"`); absent when none. */
  dropped?: Record<string, number>;
}

const RowCounts = z.record(z.string(), z.number().int().nonnegative());
const RetiredRoutingRowsSchema = z.object({ task: z.string(), rows: RowCounts, hasOther: z.boolean(), dropped: RowCounts.optional() });

/**
 * What a manifest keeps of the rows whose routing label was retired (`training.retiredRoutingRows`, as
 * `retiredRoutingRows` made it); undefined when there is none, or no manifest, or it is not of that shape (the
 * trainer's record is stored as it is).
 */
export function retiredRoutingRowsOf(manifest: { training?: Record<string, unknown> } | undefined): RetiredRoutingRows | undefined {
  const parsed = RetiredRoutingRowsSchema.safeParse(manifest?.training?.retiredRoutingRows);
  return parsed.success ? parsed.data : undefined;
}

/** The task that routes mail: the config's `routing.queueTask`, else its first task (as the exported manifest says). */
export function routingTaskOf(config: Pick<TrainingConfig, 'routing' | 'tasks'>): string | undefined {
  return config.routing?.queueTask ?? config.tasks[0]?.name;
}

/**
 * A config of several tasks without `routing`: its model routes mail by its first task (the manifest's default), and
 * nothing in the config says so. Said once, naming that task, so a config whose queue task is not first is noticed
 * before mail is routed by the wrong labels; undefined with `routing` set, or with one task (it routes by it).
 */
export function unsetRoutingWarning(config: Pick<TrainingConfig, 'routing' | 'tasks'>): string | undefined {
  if (config.routing !== undefined || config.tasks.length < 2) return undefined;
  return `routing.queueTask is not set: emails are routed by the first task, "${config.tasks[0].name}"; set routing.queueTask to choose`;
}

/**
 * The rows of the data whose label in the routing task is a retired one, or one under minCount that was dropped
 * (`rare: "drop"`), per label; undefined when none is. Such rows are masked for that task: the model learns no queue
 * for that mail and its threshold is chosen without it.
 */
export function retiredRoutingRows(taxonomy: readonly TaskTaxonomyReport[], config: Pick<TrainingConfig, 'routing' | 'tasks'>): RetiredRoutingRows | undefined {
  const task = routingTaskOf(config);
  const report = taxonomy.find((t) => t.task === task);
  if (task === undefined || report === undefined) return undefined;
  const counted = (counts: Record<string, number> | undefined) => Object.fromEntries(Object.entries(counts ?? {}).filter(([, n]) => n > 0));
  const rows = counted(report.retiredLabels);
  const dropped = report.rareAction === 'drop' ? counted(report.rare) : {};
  if (Object.keys(rows).length === 0 && Object.keys(dropped).length === 0) return undefined;
  const labels = config.tasks.find((t) => t.name === task)?.labels;
  const hasOther = labels === undefined || labels.includes(CATCH_ALL_LABEL) || report.labels.includes(CATCH_ALL_LABEL);
  return { task, rows, hasOther, ...(Object.keys(dropped).length > 0 ? { dropped } : {}) };
}

/**
 * One warning per retired label of the routing task that rows still carry, with both cases' advice (nothing in the
 * config tells them apart): when that mail now belongs to other labels (the label was split, or another queue took it
 * over), retiring it is right, and its rows train the other tasks only; when no queue takes it any more, a model that
 * never learnt it routes it to the other queues, as confidently as their own mail, instead of to manual triage, and
 * aliasing the label into `other` sends it there. Likewise one per label of it under minCount that was
 * dropped (`rare: "drop"`): `rare: "other"` sends such mail there. With `role` (`challenger`), headed by it and said
 * of the model's training rows, the advice first: the registry keeps a warning cut to a few lines.
 */
export function retiredRoutingWarnings(retired: RetiredRoutingRows | undefined, role?: string): string[] {
  if (retired === undefined) return [];
  const { task, rows, hasOther, dropped } = retired;
  const head = (n: number) => (role === undefined ? `${n} row(s)` : `${role}: ${n} training row(s)`);
  const masked = (kind: string) =>
    `${task} is the task that routes mail, and rows of ${kind} are masked for it: the model learns no queue for such mail, and its threshold is chosen without it`;
  const retiredLines = Object.entries(rows).map(([label, n]) => {
    const alias = `"aliases": { ${JSON.stringify(label)}: "${CATCH_ALL_LABEL}" }${hasOther ? '' : `, with "${CATCH_ALL_LABEL}" added to its labels`}`;
    return (
      `${head(n)} carry the retired ${task} label "${label}": if its mail now belongs to other labels (split, or taken over by another queue), ` +
      `retiring it is right and these rows train the other tasks only; if no queue takes such mail any more, the model will route it to other queues, ` +
      `often confidently: to send it to manual triage, alias it to "${CATCH_ALL_LABEL}" instead (${alias}). ${masked('a retired label')}`
    );
  });
  // Rare labels merge into `other` with "rare": "other" (the task gets it without listing it): its mail goes to manual triage.
  const droppedLines = Object.entries(dropped ?? {}).map(
    ([label, n]) =>
      `${head(n)} carry the ${task} label "${label}", under minCount and dropped ("rare": "drop"): the model will route such mail to other queues, ` +
      `often confidently; to send it to manual triage, merge rare labels into "${CATCH_ALL_LABEL}" instead ("rare": "${CATCH_ALL_LABEL}"). ${masked('a dropped label')}`,
  );
  return [...retiredLines, ...droppedLines];
}
