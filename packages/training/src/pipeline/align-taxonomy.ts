import type { PredictionLine } from '@mailroute/evaluation';
import { CATCH_ALL_LABEL, currentLabel, nullRecord, type ClassifierTask } from '@mailroute/model';
import type { TrainingConfig } from '../config.js';

/** What putting one model's predictions into another's taxonomy did. */
export interface TaxonomyAlignment {
  lines: PredictionLine[];
  /** `task: old -> new` and the number of predicted labels renamed so. */
  renamed: Record<string, number>;
  /** Lines whose truth was taken from the reference lines (same id). */
  truthsReplaced: number;
}

/** A label under the reference task's names: aliases followed, then `other` for a label it does not have (as truths are mapped). */
function mapper(task: ClassifierTask): (label: string) => string {
  const known = new Set(task.labels);
  return (label) => {
    const renamed = currentLabel(task, label);
    return known.has(renamed) || !known.has(CATCH_ALL_LABEL) ? renamed : CATCH_ALL_LABEL;
  };
}

/**
 * The labels of `older` that the taxonomy of `newer` speaks of without having them: its aliases rename or merge
 * them, or it retires them (`queue: onboarding_kyc`). A model whose taxonomy speaks of another's labels was
 * trained after them; when two models each speak of the other's (a rename undone), neither is plainly newer.
 * Labels merged into `other` for being rare are left out: that says how many rows a label had, not when.
 */
export function labelsSpokenOf(newer: readonly ClassifierTask[], older: readonly ClassifierTask[]): string[] {
  const out: string[] = [];
  for (const task of newer) {
    const theirs = older.find((t) => t.name === task.name);
    if (!theirs) continue;
    for (const label of theirs.labels) {
      if (task.labels.includes(label) || task.mergedIntoOther?.includes(label)) continue;
      if ((task.aliases && Object.hasOwn(task.aliases, label)) || task.retired?.includes(label)) out.push(`${task.name}: ${label}`);
    }
  }
  return out;
}

/**
 * A model's tasks under the names of the config its rows were read with (another model's, or one given): its
 * labels through that config's aliases, as its predictions are named then, and the config's aliases and retired
 * labels beside its own, so the lines of another model are put into the names both sides' truths carry.
 */
export function tasksReadWith(tasks: readonly ClassifierTask[], config: TrainingConfig): ClassifierTask[] {
  return tasks.map((task) => {
    const read = config.tasks.find((t) => t.name === task.name);
    if (!read) return task;
    const aliases = { ...task.aliases, ...read.aliases };
    const retired = [...new Set([...(task.retired ?? []), ...read.retired])];
    const labels = [...new Set(task.labels.map((label) => currentLabel({ name: task.name, labels: task.labels, aliases: read.aliases }, label)))];
    return { ...task, labels, ...(Object.keys(aliases).length > 0 ? { aliases } : {}), ...(retired.length > 0 ? { retired } : {}) };
  });
}

/**
 * Puts the predictions of an older model into the taxonomy of a newer one (compare: the champion into the
 * challenger's, or the challenger into the champion's when the champion's taxonomy is the newer),
 * so two models trained before and after a label was renamed, merged or retired are scored on the same
 * labels: each predicted label (and its scores, summed where labels merge) goes through the newer model's
 * aliases, and a label the newer model lacks becomes `other` when it has that catch-all, as a truth label
 * would; where summed scores outweigh the mapped label's, the label with the highest sum is predicted. Truths are taken from the newer model's lines of the same id (read with its config).
 */
export function alignToTaxonomy(lines: readonly PredictionLine[], reference: readonly PredictionLine[], tasks: readonly ClassifierTask[]): TaxonomyAlignment {
  const maps = new Map(tasks.map((task) => [task.name, mapper(task)]));
  const truthById = new Map<string, PredictionLine['truth']>();
  for (const line of reference) if (line.id !== undefined) truthById.set(line.id, line.truth);
  const renamed: Record<string, number> = {};
  let truthsReplaced = 0;
  const out = lines.map((line) => {
    const prediction: PredictionLine['prediction'] = {};
    for (const [task, p] of Object.entries(line.prediction)) {
      const map = maps.get(task);
      if (!map) {
        prediction[task] = p;
        continue;
      }
      let label = map(p.label);
      if (label !== p.label) {
        const key = `${task}: ${p.label} -> ${label}`;
        renamed[key] = (renamed[key] ?? 0) + 1;
      }
      let scores: Record<string, number> | undefined;
      if (p.scores) {
        // No prototype: a label named `constructor` or `toString` starts at no score, not at Object's member.
        scores = nullRecord<number>();
        for (const [l, s] of Object.entries(p.scores)) scores[map(l)] = Math.min(1, (scores[map(l)] ?? 0) + s);
        // Merged labels can outweigh the single best label, as they do when predicting with the newer config.
        for (const [name, score] of Object.entries(scores)) if (score > (scores[label] ?? 0)) label = name;
      }
      // The confidence of a merged label is the sum of its parts, as its score is.
      const confidence = scores?.[label] ?? p.confidence;
      prediction[task] = { ...p, label, ...(scores ? { scores } : {}), ...(confidence !== undefined ? { confidence } : {}) };
    }
    const truth = line.id !== undefined ? truthById.get(line.id) : undefined;
    if (truth === undefined) return { ...line, prediction };
    truthsReplaced += 1;
    // The reference's truths for its tasks; a task it lacks (one the challenger dropped) keeps the line's own, so
    // the comparison says the challenger no longer predicts it, not that the data has no label for it.
    const merged = nullRecord<string | null>();
    for (const [task, label] of Object.entries(line.truth)) if (!maps.has(task)) merged[task] = label;
    return { ...line, truth: Object.assign(merged, truth), prediction };
  });
  return { lines: out, renamed, truthsReplaced };
}
