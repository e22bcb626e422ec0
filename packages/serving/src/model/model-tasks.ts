import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifierTasks, MANIFEST_FILE, ManifestSchema, type ModelRegistry } from '@mailroute/model';
import type { ModelTasks } from '../http/context.js';

/** A model's tasks from the registry's copy of its manifest (the local registry: a file beside the model). */
export function registryModelTasks(registry: ModelRegistry): ModelTasks {
  return async (modelId) => {
    const dir = await registry.artifactDir(modelId);
    return classifierTasks(ManifestSchema.parse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'))));
  };
}
