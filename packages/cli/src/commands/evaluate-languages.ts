import { readManifest, type Manifest } from '@mailroute/model';
import { resolveModelDir } from '@mailroute/training';

/**
 * A model's training emails per language (its manifest's `training.languages`, as cleaning detected them), for
 * `evaluate` to mark the languages it was not trained on; undefined when the manifest records none (`training` is the
 * trainer's free-form record: only counts are read).
 */
export function trainingLanguagesOf(manifest: Pick<Manifest, 'training'>): Record<string, number> | undefined {
  const languages = manifest.training?.languages;
  if (typeof languages !== 'object' || languages === null || Array.isArray(languages)) return undefined;
  const counts = Object.entries(languages).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0);
  return counts.length > 0 ? Object.fromEntries(counts) : undefined;
}

/**
 * With `--predictions`: the manifest of the registered model the lines name (`modelId`), when this home has it;
 * undefined otherwise (another home's model, a directory's, or none named). Never throws: without it the reports say
 * what the lines alone say (no routing task, no target precision, no language marked untrained).
 */
export async function registeredManifest(home: string, modelId: string | undefined): Promise<Manifest | undefined> {
  // A registry id, never a path or `champion`: the lines may have been written by any model.
  if (modelId === undefined || modelId === 'champion' || !/^[\w.-]+$/.test(modelId) || modelId.startsWith('.')) return undefined;
  try {
    const manifest = await readManifest(await resolveModelDir(modelId, home));
    return manifest.modelId === modelId ? manifest : undefined;
  } catch {
    return undefined;
  }
}
