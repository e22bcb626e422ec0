import type { ClassifierTask, EmailClassifier } from '@mailroute/model';
import type { AppContext } from '../http/context.js';
import { describeError } from '../http/logger.js';

/** The tasks of other models, read once each (a model does not change); a failed read is tried again next time. */
const tasksByModel = new WeakMap<AppContext, Map<string, Promise<ClassifierTask[] | undefined>>>();

/** The tasks (labels, aliases, retired labels) of another model than the served one, if they can be read. */
export function tasksOfModel(ctx: AppContext, modelId: string): Promise<ClassifierTask[] | undefined> {
  const read = ctx.modelTasks;
  if (!read) return Promise.resolve(undefined);
  let cache = tasksByModel.get(ctx);
  if (!cache) tasksByModel.set(ctx, (cache = new Map()));
  const known = cache;
  let tasks = known.get(modelId);
  if (!tasks) {
    tasks = read(modelId).catch((error: unknown) => {
      // A model the registry does not hold (deleted) or holds without its artifact (pruned) stays unknown: kept, said
      // once. Any other failure is not kept: a throttled or unreachable registry is asked again by the next request.
      const code = (error as { code?: unknown } | null | undefined)?.code;
      if (code === 'REGISTRY_NOT_FOUND' || code === 'REGISTRY_PRUNED') {
        const why = code === 'REGISTRY_PRUNED' ? 'its artifact was pruned from the registry' : 'the model is not in the registry';
        ctx.logger.warn(`model tasks unknown: ${why}; its predictions are compared under the served model's names`, { modelId });
        return undefined;
      }
      known.delete(modelId);
      ctx.logger.error('model tasks unreadable', { modelId, error: describeError(error) });
      return undefined;
    });
    known.set(modelId, tasks);
  }
  return tasks;
}

/**
 * The tasks of each model named that can be known: `served`'s own (the model served when the request came), the others'
 * from the registry (cached per id).
 */
export async function taxonomiesOf(ctx: AppContext, served: EmailClassifier | undefined, modelIds: Iterable<string>): Promise<Map<string, readonly ClassifierTask[]>> {
  const out = new Map<string, readonly ClassifierTask[]>();
  await Promise.all(
    [...new Set(modelIds)].map(async (id) => {
      const tasks = served?.modelId === id ? served.tasks : await tasksOfModel(ctx, id);
      if (tasks) out.set(id, tasks);
    }),
  );
  return out;
}
