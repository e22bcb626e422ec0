import { currentLabel, type ClassifierTask } from '@mailroute/model';
import type { FeedbackPair } from '../store/types.js';

/** A task to measure, with the served model's renames and merges (`aliases`). */
export type RenamingTask = Pick<ClassifierTask, 'name' | 'aliases'>;

/** The models' tasks by model id: whose names each prediction's feedback is compared under. */
export type Taxonomies = ReadonlyMap<string, readonly ClassifierTask[]>;

export interface Named {
  pairs: FeedbackPair[];
  /** Per task: feedback labels that have no name in the taxonomy of the model that made the prediction (not scored). */
  unmappable: Record<string, number>;
}

/** Pairs with both sides' labels under the given tasks' current names (the served model's renames). */
function underServedNames(pair: FeedbackPair, renaming: readonly RenamingTask[]): FeedbackPair {
  if (renaming.length === 0) return pair;
  const rename = (labels: Record<string, string>): Record<string, string> => {
    const out = { ...labels };
    for (const task of renaming) {
      const label = out[task.name];
      if (label !== undefined) out[task.name] = currentLabel({ ...task, labels: [] }, label);
    }
    return out;
  };
  return {
    ...pair,
    prediction: { ...pair.prediction, labels: rename(pair.prediction.labels) },
    ...(pair.feedback ? { feedback: { ...pair.feedback, labels: rename(pair.feedback.labels) } } : {}),
  };
}

/**
 * Each pair's feedback under the names of the model that made its prediction (that model's renames and
 * merges followed), so a correct prediction is not scored wrong because the label was sent in another
 * model's names (a rollback, a rename in a newer model). A label that model's taxonomy has no name for (or
 * retired) is left out of the scoring and counted in `unmappable`, not scored wrong; feedback left with no
 * label counts as none. A model whose taxonomy is unknown is compared as before: both sides under the
 * `fallback` tasks' (the served model's) current names. Each label is looked up once per model and task.
 */
export function underPredictingNames(pairs: readonly FeedbackPair[], taxonomies: Taxonomies, fallback: readonly RenamingTask[]): Named {
  const renaming = fallback.filter((t) => t.aliases !== undefined && Object.keys(t.aliases).length > 0);
  const unmappable: Record<string, number> = {};
  const memo = new Map<string, Map<string, Map<string, string | null>>>();
  const nameIn = (modelId: string, task: ClassifierTask, label: string): string | null => {
    let byTask = memo.get(modelId);
    if (!byTask) memo.set(modelId, (byTask = new Map()));
    let byLabel = byTask.get(task.name);
    if (!byLabel) byTask.set(task.name, (byLabel = new Map()));
    let named = byLabel.get(label);
    if (named === undefined) {
      const current = currentLabel(task, label);
      named = task.labels.includes(current) && !task.retired?.includes(current) && !task.retired?.includes(label) ? current : null;
      byLabel.set(label, named);
    }
    return named;
  };
  const out = pairs.map((pair): FeedbackPair => {
    const tasks = taxonomies.get(pair.prediction.modelId);
    if (!tasks) return underServedNames(pair, renaming);
    if (!pair.feedback) return pair;
    const labels: Record<string, string> = {};
    for (const [name, label] of Object.entries(pair.feedback.labels)) {
      const task = tasks.find((t) => t.name === name);
      // A task the model does not have: nothing of its prediction to compare, kept as sent.
      if (!task) labels[name] = label;
      else {
        const named = nameIn(pair.prediction.modelId, task, label);
        if (named === null) unmappable[name] = (unmappable[name] ?? 0) + 1;
        else labels[name] = named;
      }
    }
    const { feedback, ...rest } = pair;
    return Object.keys(labels).length > 0 ? { ...rest, feedback: { ...feedback, labels } } : rest;
  });
  return { pairs: out, unmappable };
}
