import { currentLabel, type ClassifierTask } from '@mailroute/model';
import type { FeedbackPair } from '../store/types.js';

/** A task measured, as the served model has it: its labels and its renames and merges (`aliases`). */
export type ServedTask = Pick<ClassifierTask, 'name' | 'labels' | 'aliases'>;

/** The models' tasks by model id: the names each prediction was made in. */
export type Taxonomies = ReadonlyMap<string, readonly ClassifierTask[]>;

export interface Named {
  pairs: FeedbackPair[];
  /** Per task: feedback labels that neither the predicting model nor the served model has a name for (not scored). */
  unmappable: Record<string, number>;
}

/** A label's current name under a task's renames and merges. */
function renamed(task: Pick<ClassifierTask, 'name' | 'aliases'>, label: string): string {
  return task.aliases && Object.keys(task.aliases).length > 0 ? currentLabel({ ...task, labels: [] }, label) : label;
}

/** A label's name in a model's taxonomy (its renames followed), or null when the model has none for it or retired it. */
function nameIn(task: ClassifierTask, label: string): string | null {
  const current = currentLabel(task, label);
  return task.labels.includes(current) && !task.retired?.includes(current) && !task.retired?.includes(label) ? current : null;
}

/**
 * Each pair with both sides under the served model's current names, so predictions of several models and
 * feedback stored as the CRM sent it (in any model's names) compare alike. A feedback label is read first in
 * the names of the model that made the prediction (a rollback: `complaints` is still a label of the old
 * model, though the newer one merged it), then in the served model's (a rename or merge the newer model
 * made: `kyc` for an old `payments`, when one of the predicting model's labels became it); both end under the
 * served model's names, so a merge counts the merged labels as one. A label the predicting model has no name for,
 * and that none of its labels became (a queue added or split off since), is left out and counted in
 * `unmappable`, not scored wrong. A predicting model whose taxonomy is unknown is compared under the served
 * model's names only, as sent. Each label is looked up once per model and task.
 */
export function underPredictingNames(pairs: readonly FeedbackPair[], taxonomies: Taxonomies, served: readonly ServedTask[]): Named {
  const unmappable: Record<string, number> = {};
  const memo = new Map<string, string | null>();
  const servedTask = new Map(served.map((t) => [t.name, t]));
  /** Per model and task: the served names of the labels that model could predict (its own, renamed by the served model). */
  const reachable = new Map<string, Set<string>>();
  const reachableFrom = (modelId: string, own: ClassifierTask, task: ServedTask): Set<string> => {
    const key = `${modelId}\u0000${task.name}`;
    let set = reachable.get(key);
    if (!set) reachable.set(key, (set = new Set(own.labels.filter((l) => !own.retired?.includes(l)).map((l) => renamed(task, l)))));
    return set;
  };
  /** The feedback label `label` of task `task` under the served names, for a prediction of `modelId`; null: unmappable. */
  const truthOf = (modelId: string, tasks: readonly ClassifierTask[] | undefined, task: ServedTask, label: string): string | null => {
    const key = `${modelId}\u0000${task.name}\u0000${label}`;
    let truth = memo.get(key);
    if (truth === undefined) {
      const own = tasks?.find((t) => t.name === task.name);
      const inOwn = own ? nameIn(own, label) : null;
      const inServed = renamed(task, label);
      // Without the predicting model's taxonomy there is nothing to check against: compared as sent. Else a label
      // of the served model counts when it is what one of the predicting model's labels became (a rename or a
      // merge); a label it split off or added is unmappable for that model.
      if (inOwn !== null) truth = renamed(task, inOwn);
      else truth = !own || reachableFrom(modelId, own, task).has(inServed) ? inServed : null;
      memo.set(key, truth);
    }
    return truth;
  };
  const out = pairs.map((pair): FeedbackPair => {
    const tasks = taxonomies.get(pair.prediction.modelId);
    const predicted: Record<string, string> = { ...pair.prediction.labels };
    for (const [name, label] of Object.entries(predicted)) {
      const task = servedTask.get(name);
      if (task) predicted[name] = renamed(task, label);
    }
    const prediction = { ...pair.prediction, labels: predicted };
    if (!pair.feedback) return { ...pair, prediction };
    const labels: Record<string, string> = {};
    for (const [name, label] of Object.entries(pair.feedback.labels)) {
      const task = servedTask.get(name);
      // A task not measured: kept as sent.
      if (!task) labels[name] = label;
      else {
        const truth = truthOf(pair.prediction.modelId, tasks, task, label);
        if (truth === null) unmappable[name] = (unmappable[name] ?? 0) + 1;
        else labels[name] = truth;
      }
    }
    const { feedback, ...rest } = pair;
    return Object.keys(labels).length > 0 ? { ...rest, prediction, feedback: { ...feedback, labels } } : { ...rest, prediction };
  });
  return { pairs: out, unmappable };
}
