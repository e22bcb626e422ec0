import { z } from 'zod';
import type { Manifest } from './manifest.js';

/** A task as serving sees it: its ordered labels, and old label names that map onto them. */
export interface ClassifierTask {
  name: string;
  labels: readonly string[];
  /** `{ "old name": "new name" }` from the training config: renamed and merged labels, chains followed. */
  aliases?: Readonly<Record<string, string>>;
}

const StoredTasksSchema = z.object({ tasks: z.array(z.object({ name: z.string(), aliases: z.record(z.string(), z.string()).optional() }).loose()) }).loose();

/** The manifest's tasks with the aliases of the training config stored in it (none when it has none). */
export function classifierTasks(manifest: Pick<Manifest, 'tasks' | 'trainingConfig'>): ClassifierTask[] {
  const stored = StoredTasksSchema.safeParse(manifest.trainingConfig);
  const aliases = new Map(stored.success ? stored.data.tasks.map((t) => [t.name, t.aliases ?? {}]) : []);
  return manifest.tasks.map((task) => {
    const own = aliases.get(task.name);
    return { name: task.name, labels: [...task.labels], ...(own && Object.keys(own).length > 0 ? { aliases: own } : {}) };
  });
}

/** A label under its current name: aliases followed (loops stop where they began), else as given. */
export function currentLabel(task: ClassifierTask, label: string): string {
  let current = label;
  const seen = new Set([current]);
  while (task.aliases && Object.hasOwn(task.aliases, current)) {
    current = task.aliases[current];
    if (seen.has(current)) return label;
    seen.add(current);
  }
  return current;
}
