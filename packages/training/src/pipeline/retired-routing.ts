import { CATCH_ALL_LABEL } from '@mailroute/model';
import { z } from 'zod';
import type { TrainingConfig } from '../config.js';
import type { TaskTaxonomyReport } from '../taxonomy.js';

/** What a model's manifest keeps (`training.retiredRoutingRows`) of the rows whose routing label was retired. */
export interface RetiredRoutingRows {
  /** The task that routes mail (`routing.queueTask`). */
  task: string;
  /** Rows per retired label of that task. */
  rows: Record<string, number>;
  /** Whether the task has the catch-all `other` among its labels (else aliasing into it needs it added). */
  hasOther: boolean;
}

const RetiredRoutingRowsSchema = z.object({ task: z.string(), rows: z.record(z.string(), z.number().int().nonnegative()), hasOther: z.boolean() });

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
 * The rows of the data whose label in the routing task is a retired one, per label; undefined when none is. Such
 * rows are masked for that task: the model learns no queue for that mail and its threshold is chosen without it.
 */
export function retiredRoutingRows(taxonomy: readonly TaskTaxonomyReport[], config: Pick<TrainingConfig, 'routing' | 'tasks'>): RetiredRoutingRows | undefined {
  const task = routingTaskOf(config);
  const report = taxonomy.find((t) => t.task === task);
  if (task === undefined || report?.retiredLabels === undefined) return undefined;
  const rows = Object.fromEntries(Object.entries(report.retiredLabels).filter(([, n]) => n > 0));
  if (Object.keys(rows).length === 0) return undefined;
  const labels = config.tasks.find((t) => t.name === task)?.labels;
  return { task, rows, hasOther: labels === undefined || labels.includes(CATCH_ALL_LABEL) || report.labels.includes(CATCH_ALL_LABEL) };
}

/**
 * One warning per retired label of the routing task that rows still carry: mail of that kind still arrives, and a
 * model that never learnt it routes it to the other queues, as confidently as their own mail, instead of to manual
 * triage; aliasing the label into `other` sends it there. With `role` (`challenger`), headed by it and said of the
 * model's training rows, the advice first: the registry keeps a warning cut to a few lines.
 */
export function retiredRoutingWarnings(retired: RetiredRoutingRows | undefined, role?: string): string[] {
  if (retired === undefined) return [];
  const { task, rows, hasOther } = retired;
  return Object.entries(rows).map(([label, n]) => {
    const alias = `"aliases": { ${JSON.stringify(label)}: "${CATCH_ALL_LABEL}" }${hasOther ? '' : `, with "${CATCH_ALL_LABEL}" added to its labels`}`;
    const head = role === undefined ? `${n} row(s)` : `${role}: ${n} training row(s)`;
    return (
      `${head} carry the retired ${task} label "${label}": the model will route such mail to other queues, often confidently; to send it to ` +
      `manual triage, alias it to "${CATCH_ALL_LABEL}" instead (${alias}). ${task} is the task that routes mail, and rows of a retired label are masked ` +
      `for it: the model learns no queue for such mail, and its threshold is chosen without it`
    );
  });
}
