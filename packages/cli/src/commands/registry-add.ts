import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ArtifactError, Classifier, createLocalRegistry, RegistryError, sha256, type LocalModelRegistry, type ModelVersion } from '@mailroute/model';
import { recordLateRegistration, runOfModelFolder } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { safeLines } from '../terminal-text.js';

/**
 * The version of the model in `folder` when `error` says it is registered already and the registry holds that very
 * manifest (same sha256): the add of a kept model stopped between registering and recording it on its run. Else rethrows.
 */
async function registeredAlready(registry: LocalModelRegistry, folder: string, error: unknown): Promise<ModelVersion> {
  if (!(error instanceof RegistryError) || error.code !== 'REGISTRY_DUPLICATE') throw error;
  const manifest = await readFile(path.join(folder, 'manifest.json'));
  const { modelId } = JSON.parse(manifest.toString('utf8')) as { modelId: string };
  const version = await registry.get(modelId);
  if (version.manifestSha256 !== sha256(manifest)) throw error;
  return version;
}

/**
 * Refuses a model whose graph onnxruntime cannot run as its manifest says (not an ONNX model, other outputs or tables
 * than the manifest's labels and buckets): registered, approved and made champion, it would fail every server's load.
 * Hashes and the manifest itself are the registry's to check and say, as before.
 */
async function checkLoads(folder: string): Promise<void> {
  let classifier: Classifier;
  try {
    classifier = await Classifier.load(folder);
  } catch (error) {
    if (error instanceof ArtifactError && error.code === 'ARTIFACT_ONNX_MISMATCH') throw error;
    return;
  }
  await classifier.release();
}

/**
 * `mailroute registry add <dir> [--note text]`: registers a model's artifact directory made elsewhere (a SageMaker
 * training job's model.tar.gz unpacked, the model a `train` kept when the registry could not take it), as `train`
 * registers its own: the files checked against the manifest's sha256 and the graph loaded by onnxruntime, copied in,
 * the version awaiting approval.
 */
export function registerAdd(registry: Command, ctx: CliContext): void {
  registry
    .command('add <dir>')
    .description(
      "Register a model's artifact directory (manifest.json and the files it lists) made elsewhere: a SageMaker training job's model.tar.gz unpacked, or the model a train kept when the registry could not take it; the files its manifest lists are checked against their sha256, the model is loaded by onnxruntime as a server would, and the folder is copied in, as PendingManualApproval",
    )
    .option('--note <text>', 'a note stored with the version (registry show has it)')
    .action(async (dir: string, flags: { note?: string }) => {
      const folder = path.resolve(ctx.cwd, dir);
      // A model a train kept beside its run: registered as that run's, and the run says so.
      const run = await runOfModelFolder(ctx.home, folder);
      await checkLoads(folder);
      const registry = createLocalRegistry({ home: ctx.home });
      const registering = registry.register(folder, { ...(flags.note === undefined ? {} : { note: flags.note }), ...(run ? { runId: run.runId } : {}) });
      // An add of a kept model that stopped after registering it (before its run was told, or before the kept copy
      // was removed) is finished, not refused as a duplicate.
      const version = await registering.catch(async (error: unknown) => (run ? await registeredAlready(registry, folder, error) : Promise.reject(error)));
      if (run) {
        const artifactDir = await registry.artifactDir(version.id);
        // The registry checked every listed file against these hashes as it copied them in.
        const { files } = JSON.parse(await readFile(path.join(artifactDir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
        if (run.modelId === undefined) await recordLateRegistration(ctx.home, run.runId, { modelId: version.id, artifactFiles: files, artifactDir });
        // The registry holds a checked copy now and the run names it: the kept one would only take the space twice.
        await rm(folder, { recursive: true, force: true });
      }
      const kept = run ? `, the model of run ${run.runId} (its kept copy in ${dir} removed)` : '';
      ctx.stdout.write(safeLines(`registered ${version.id} (version ${version.version}, ${version.status})${kept}\n`));
    });
}
