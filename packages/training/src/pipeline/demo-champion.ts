import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createLocalRegistry, makeHomeDirectory, noChampionError, withFileLock, type ModelLogger, type ModelRegistry, type ModelVersion } from '@mailroute/model';
import { loadDemoConfig } from '../demo/demo-config.js';
import { DEMO_DEFAULT_ROWS, writeDemoData } from '../demo/generate.js';
import { trainFromConfig } from './train-from-config.js';
import type { OnProgress } from './evaluate-split.js';

export interface EnsureDemoChampionOptions {
  home: string;
  onProgress?: OnProgress;
  logger?: ModelLogger;
  /**
   * Demo rows to train on; default the 4,000 that `mailroute demo-data` writes, so a model trained from
   * that file has the same data and the same held-out split as the demo champion (`compare --split test`).
   */
  rows?: number;
}

/**
 * For `npm start` on a fresh machine: returns the registry's champion, or, when the registry is empty,
 * writes the demo data to `<home>/demo.csv`, trains a model on it with the demo config, approves it (which
 * makes it champion) and returns it. A registry with versions but no champion is refused
 * (`REGISTRY_NOT_APPROVED`): the demo never stands in for a decision the team has to make.
 */
export async function ensureDemoChampion(options: EnsureDemoChampionOptions, deps: { mkdir?: typeof mkdir } = {}): Promise<ModelVersion> {
  const registry = createLocalRegistry({ home: options.home });
  const current = await registry.champion();
  if (current) return current;
  // Several `mailroute start` on one empty home (a script starting servers at once) each trained and approved a
  // model of their own: one trains, under a lock of the home's, while the others wait and then serve its model.
  // makeHomeDirectory (makeDirectory), not mkdir: Node 20's recursive mkdir says a home on a read-only file system is missing (ENOENT).
  await makeHomeDirectory(options.home, deps.mkdir);
  return withFileLock(path.join(options.home, BOOTSTRAP_LOCK), () => bootstrap(registry, options), {
    timeoutMs: BOOTSTRAP_WAIT_MS,
    heldBy: `another mailroute start is still training the demo model in this home after ${BOOTSTRAP_WAIT_MS / 60_000} minutes`,
  });
}

/**
 * Who approved the demo model, as `registry history`, `registry show` and the model card say it: the command
 * that trains it (`npm start`), not an OS account (`--by`'s default), as no person decided.
 */
export const DEMO_CHAMPION_APPROVED_BY = 'mailroute start';

/** The registration note of the demo model, by which a later start knows its own; and its approval's note. */
const DEMO_REGISTRATION_NOTE = `demo model trained on synthetic data by ${DEMO_CHAMPION_APPROVED_BY}`;
/** The note of demo models registered before the approver was named `mailroute start`. */
const EARLIER_DEMO_REGISTRATION_NOTE = 'demo model trained on synthetic data by ensureDemoChampion';
const DEMO_APPROVAL_NOTE = 'demo model (synthetic data)';

/**
 * The demo model of a start that stopped between its two writes (registered, not yet approved): the registry's one
 * version, waiting for approval with no decision ever made on it, registered with the demo's note. Any other registry
 * with versions but no champion holds a team's models, which the demo never stands in for.
 */
function interruptedDemo(versions: readonly ModelVersion[]): ModelVersion | undefined {
  if (versions.length !== 1) return undefined;
  const [only] = versions;
  const undecided = only.status === 'PendingManualApproval' && (only.history ?? []).every((h) => h.status === 'PendingManualApproval');
  return undecided && (only.note === DEMO_REGISTRATION_NOTE || only.note === EARLIER_DEMO_REGISTRATION_NOTE) ? only : undefined;
}

/** The lock file of a demo bootstrap in a home. */
const BOOTSTRAP_LOCK = 'demo-bootstrap.lock';
/** How long another start waits for a training of the demo model (seconds, on a loaded machine). */
const BOOTSTRAP_WAIT_MS = 180_000;

async function bootstrap(registry: ModelRegistry, options: EnsureDemoChampionOptions): Promise<ModelVersion> {
  const current = await registry.champion();
  if (current) {
    options.logger?.info?.(`another mailroute trained the demo model meanwhile: ${current.id}`);
    return current;
  }
  // The demo bootstraps an empty registry only: with versions but no champion (none approved yet, or the
  // champion rejected), approving a synthetic model would serve it in place of the team's decision.
  const versions = await registry.list();
  const interrupted = interruptedDemo(versions);
  if (interrupted) {
    // A start stopped between registering its demo model and approving it (two writes: Ctrl-C, a kill, a crash)
    // left it waiting for approval in an otherwise empty registry: that start's own decision is completed.
    const approved = await registry.approve(interrupted.id, { by: DEMO_CHAMPION_APPROVED_BY, note: `${DEMO_APPROVAL_NOTE}, approved by the next start: the one that trained it stopped before approving it` });
    options.logger?.info?.(`demo model ${approved.id}, registered by a start that stopped before approving it, approved as champion`);
    return approved;
  }
  if (versions.length > 0) {
    // Worded as serve says it for the same registry, with the same code.
    throw noChampionError(options.home, versions, 'point MAILROUTE_HOME (start --home) at an empty folder to train and serve the demo model', 'There is no model to serve');
  }
  options.logger?.info?.('no champion model: training one on the synthetic demo data');
  const data = path.join(options.home, 'demo.csv');
  await writeDemoData(data, { rows: options.rows ?? DEMO_DEFAULT_ROWS });
  const config = await loadDemoConfig();
  const result = await trainFromConfig({
    config: { ...config, model: { ...config.model, epochs: 6, buckets: 2 ** 16 } },
    dataPath: data,
    home: options.home,
    onProgress: options.onProgress,
    logger: options.logger,
    registry,
    note: DEMO_REGISTRATION_NOTE,
  });
  const approved = await registry.approve(result.modelId, { by: DEMO_CHAMPION_APPROVED_BY, note: DEMO_APPROVAL_NOTE });
  options.logger?.info?.(`demo model ${approved.id} approved as champion`, { metrics: result.metrics });
  return approved;
}
