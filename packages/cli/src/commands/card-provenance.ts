import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createLocalRegistry, MANIFEST_FILE, RegistryError, type ModelVersion } from '@mailroute/model';
import type { ModelProvenance, RegistryStanding } from '@mailroute/evaluation';
import { readRun, runOfModelFolder, type RunRecord } from '@mailroute/training';

/**
 * What the model card says of where a model evaluated with `--model` comes from: named by its registry id or
 * `champion`, the registry's version (status, who decided and when, whether it is the champion, its training
 * run) and that run's record (the commit, the data files' names, the config's description); given as a directory, only the run whose folder keeps it
 * (`runs/<run>/model`: a model the registry could not take). The registry and the run records are read, not the
 * manifest, which records neither. Nothing is guessed: a fact not found is left out, and the card says so.
 */
export async function cardProvenance(home: string, model: { modelId: string; directory?: string }, now = new Date().toISOString()): Promise<ModelProvenance> {
  if (model.directory !== undefined) {
    const run = await runOfModelFolder(home, model.directory);
    return { ...(run === undefined ? {} : { runId: run.runId, ...commitOf(run), ...trainingDataOf(run) }), registry: { unread: 'directory' } };
  }
  const registry = createLocalRegistry({ home });
  let version: ModelVersion;
  try {
    // By the loaded model's own id: `champion` may name another version by now, and the card is of this one.
    version = await registry.get(model.modelId);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'REGISTRY_NOT_FOUND') return { registry: { unread: 'not-registered' } };
    throw error;
  }
  const champion = await registry.champion();
  const run = version.runId === undefined ? undefined : await readRun(home, version.runId).catch(() => undefined);
  return {
    ...(version.runId === undefined ? {} : { runId: version.runId }),
    ...(run === undefined ? {} : { ...commitOf(run), ...trainingDataOf(run) }),
    registry: standingOf(version, champion?.id === version.id, now),
  };
}

/**
 * What the run record says the model was trained on: its data files by name (a folder on the trainer's machine says
 * nothing where the card is read) and its config's `description`; nothing when it records neither.
 */
function trainingDataOf(run: RunRecord): Pick<ModelProvenance, 'trainingData'> {
  const config = run.config;
  const said = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).description : undefined;
  const description = typeof said === 'string' && said.trim() !== '' ? said : undefined;
  const files = run.dataPaths.map((p) => path.basename(p));
  if (files.length === 0 && description === undefined) return {};
  return { trainingData: { files, ...(description === undefined ? {} : { description }) } };
}

/** The run record's commit (null outside git) and whether its checkout had changes, as far as it records them. */
function commitOf(run: RunRecord): Pick<ModelProvenance, 'gitCommit' | 'gitDirty'> {
  return { gitCommit: run.gitCommit, ...(run.gitDirty === undefined ? {} : { gitDirty: run.gitDirty }) };
}

function standingOf(v: ModelVersion, champion: boolean, readAt: string): RegistryStanding {
  return {
    version: v.version,
    status: v.status,
    registeredAt: v.createdAt,
    ...(v.statusChangedBy === undefined ? {} : { decidedBy: v.statusChangedBy }),
    ...(v.statusChangedAt === undefined ? {} : { decidedAt: v.statusChangedAt }),
    champion,
    readAt,
  };
}

/** The model directory a `--model` reference names, as `resolveModelDir` reads it (a folder with a manifest.json wins over a registry id); undefined for a registry id or `champion`. */
export async function givenDirectory(ref: string): Promise<string | undefined> {
  const manifest = await stat(path.join(ref, MANIFEST_FILE)).catch(() => undefined);
  return manifest?.isFile() === true ? path.resolve(ref) : undefined;
}
