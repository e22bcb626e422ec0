import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, RegistryError, type EmailClassifier, type ModelRegistry } from '@mailroute/model';
import { ModelLoadError, ModelNotReadyError, NoChampionError } from '../errors.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../http/logger.js';
import { verifyClassifier } from './verify.js';

/** What to load: a model id and the directory holding its artifact. */
export interface ModelTarget {
  id: string;
  dir: string;
  /** Why the target cannot be loaded, found while resolving it (e.g. a tampered artifact): a failed load of `id`. */
  unusable?: unknown;
  /** What the registry says of its approval (a registry's champion), for the log line of its load. */
  approval?: ChampionApproval;
}

/**
 * Who approved the champion, when and why, and its gate (`mailroute compare`) as it stood: `failed` for one approved
 * with --force over a failed gate, `none` for one never compared. An on-call reader of the log sees at the swap
 * what was decided, not only which model now serves.
 */
export interface ChampionApproval {
  approvedBy?: string;
  approvedAt?: string;
  approvalNote?: string;
  gate: 'passed' | 'failed' | 'none';
}

/** A borrowed classifier: call `release()` when the request is done with it. */
export interface ClassifierLease {
  readonly classifier: EmailClassifier;
  release(): void;
}

export interface ReloadOutcome {
  /** Another model is served now (or the first one is). */
  changed: boolean;
  /** A session was opened: also true for a forced reload of the model already served. */
  loaded?: true;
  modelId: string | undefined;
  previousModelId: string | undefined;
  /** The champion was not tried because it failed before (a forced reload tries it again). */
  skippedFailed?: string;
  /** The registry has no champion (e.g. it was rejected with no other Approved version): the loaded model stays. */
  noChampion?: true;
  /** This model loaded, but the champion changed while it did (rejected, or another made champion): not swapped in. */
  championChanged?: string;
}

export interface ClassifierStatus {
  modelId: string | undefined;
  loadedAt: string | undefined;
  /** Models loaded in place of another (the first load is not counted). */
  reloads: number;
  /** Loads that failed (a registry that could not be read tried none, and is not counted here). */
  failedReloads: number;
  /** When a load was last tried, or failed to begin (the registry unreadable); a poll that finds the same champion tries none. */
  lastReloadAt: string | undefined;
  /**
   * While the registry cannot be read, that (without a model id), cleared once it can; else the last failed load,
   * until a model loads.
   */
  lastReloadError: { at: string; message: string; modelId?: string } | undefined;
}

/** How often a registry that stays unreadable is logged again, with the reads that failed, after the first line. */
export const REGISTRY_UNREADABLE_LOG_MS = 5 * 60_000;

/** What a closed source answers, on the classify path and `/readyz` alike. */
export const SHUTTING_DOWN = 'The server is shutting down: it classifies no more requests.';

/** Holds the served model and swaps it atomically (the classify path never waits on a load). */
export interface ClassifierSource {
  acquire(): ClassifierLease;
  current(): EmailClassifier | undefined;
  /**
   * Loads the target if it changed (or always with `force`); a failure keeps the old model and rethrows.
   * A target that failed is not tried again until it changes or the reload is forced.
   */
  reload(options?: { force?: boolean }): Promise<ReloadOutcome>;
  status(): ClassifierStatus;
  /** Checks for a new champion every `intervalMs` (timer unref'd). */
  startPolling(intervalMs: number): void;
  /** Stops polling, waits for in-flight requests and releases the session. */
  close(): Promise<void>;
  /** True from the start of `close()`: the source serves no more requests. */
  isClosed(): boolean;
  onEvent(listener: (event: SourceEvent) => void): void;
}

export type SourceEvent =
  | { kind: 'loaded'; modelId: string; previousModelId?: string; tasks: readonly string[] }
  | { kind: 'load_failed'; modelId?: string; message: string }
  /** The registry could not be read (each poll or reload while it lasts): no model load was tried. */
  | { kind: 'registry_unreadable'; message: string }
  /**
   * The registry named no champion while a model served (`missing`: it was rejected with no other Approved version;
   * the loaded model, no longer approved, serves on), or names one again (`missing: false`); said when it changes.
   */
  | { kind: 'champion_missing'; missing: boolean; modelId?: string }
  /**
   * The model that failed to load is no longer the champion, and the champion is the model served or there is none (a
   * rollback with `registry reject`, or `registry champion <served id>`): the failure is over without a load.
   */
  | { kind: 'load_failure_over'; modelId: string; failedModelId: string }
  /**
   * The served champion's files in the registry no longer load (`broken`: a folder deleted or a file changed under it):
   * this server serves on from memory, but a restart or another server would fail to load it; or they load again
   * (`broken: false`). Said when it changes.
   */
  | { kind: 'champion_files'; broken: boolean; modelId: string; message?: string }
  | { kind: 'released'; modelId: string };

interface Slot {
  classifier: EmailClassifier;
  inFlight: number;
  retired: boolean;
  released: boolean;
  drained: Promise<void>;
  resolveDrained: () => void;
}

export interface ClassifierSourceOptions {
  /** Which model should be served now (e.g. the registry champion); undefined when there is none. */
  resolve: () => Promise<ModelTarget | undefined>;
  load: (target: ModelTarget) => Promise<EmailClassifier>;
  logger?: Logger;
  clock?: Clock;
  /** Checks a freshly loaded model before it serves; defaults to one canary prediction. */
  verify?: (classifier: EmailClassifier) => Promise<void>;
}

export function createClassifierSource(options: ClassifierSourceOptions): ClassifierSource {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const verify = options.verify ?? verifyClassifier;
  const listeners: Array<(event: SourceEvent) => void> = [];
  let slot: Slot | undefined;
  let loadedAt: string | undefined;
  let reloads = 0;
  let failedReloads = 0;
  let lastReloadAt: string | undefined;
  /** The last failed load, until a model loads. */
  let lastReloadError: ClassifierStatus['lastReloadError'];
  /** The registry's read failure, while it lasts: shown before a failed load, and cleared once the registry is read. */
  let registryError: ClassifierStatus['lastReloadError'];
  /** Since when the registry cannot be read, how many reads failed, and when that was last logged. */
  let unreadable: { since: number; failedReads: number; loggedAt: number | undefined } | undefined;
  let failedTargetId: string | undefined;
  /** The served champion's files were found broken in the registry (said once until they are whole again). */
  let servedFilesBroken = false;
  /** The last poll found no champion (warned once until one is back). */
  let championMissing = false;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const iso = () => new Date(clock.now()).toISOString();
  const emit = (event: SourceEvent) => listeners.forEach((l) => l(event));

  function newSlot(classifier: EmailClassifier): Slot {
    let resolveDrained = () => undefined as void;
    const drained = new Promise<void>((r) => (resolveDrained = r));
    return { classifier, inFlight: 0, retired: false, released: false, drained, resolveDrained };
  }

  function maybeRelease(s: Slot): void {
    if (!s.retired || s.inFlight > 0 || s.released) return;
    s.released = true;
    const id = s.classifier.modelId;
    s.classifier
      .release()
      .catch((error: unknown) => logger.warn('releasing the old model failed', { modelId: id, error: String(error) }))
      .finally(() => {
        s.resolveDrained();
        emit({ kind: 'released', modelId: id });
      });
  }

  /**
   * A read of the registry failed: counted apart from failed loads (none was tried), and logged when it starts, then
   * at most every `REGISTRY_UNREADABLE_LOG_MS` with the reads that failed, not on every poll.
   */
  function registryUnreadable(message: string): void {
    const now = clock.now();
    registryError = { at: iso(), message: withoutPaths(message) };
    lastReloadAt = registryError.at;
    unreadable ??= { since: now, failedReads: 0, loggedAt: undefined };
    unreadable.failedReads += 1;
    emit({ kind: 'registry_unreadable', message });
    // With no model yet (the first load), the caller gets the error and reports it.
    if (slot === undefined) return;
    if (unreadable.loggedAt === undefined) {
      logger.error('the registry could not be read; the loaded model keeps serving', { detail: message, logAgainMinutes: REGISTRY_UNREADABLE_LOG_MS / 60_000 });
    } else if (now - unreadable.loggedAt >= REGISTRY_UNREADABLE_LOG_MS) {
      logger.error('the registry still cannot be read; the loaded model keeps serving', { detail: message, failedReads: unreadable.failedReads, since: new Date(unreadable.since).toISOString() });
    } else return;
    unreadable.loggedAt = now;
  }

  /** The registry was read: a failure to read it is over, said so where it was logged, and no longer the last error. */
  function registryReadable(): void {
    if (unreadable === undefined) return;
    const { since, failedReads, loggedAt } = unreadable;
    unreadable = undefined;
    registryError = undefined;
    if (loggedAt !== undefined) {
      logger.info('the registry is readable again', { failedReads, since: new Date(since).toISOString(), unreadableSeconds: Math.round((clock.now() - since) / 1000) });
    }
  }

  /**
   * Called where the registry wants no other model than the one served (its champion, or none): a failed load of
   * another model is no longer wanted, so it is cleared and said. A failed forced reload of the served model stays.
   */
  function failureOverBesides(servedModelId: string | undefined): void {
    if (failedTargetId === undefined || servedModelId === undefined || failedTargetId === servedModelId) return;
    const failedModelId = failedTargetId;
    failedTargetId = undefined;
    lastReloadError = undefined;
    logger.info('the failed load is no longer wanted: its model is not the champion now', { modelId: servedModelId, failedModelId });
    emit({ kind: 'load_failure_over', modelId: servedModelId, failedModelId });
  }

  /**
   * Whether the served champion's files, as the registry resolved them, still load: said once when they no longer do
   * (a server restarted now would fail to load the model it serves), and once when they are whole again.
   */
  function servedFiles(target: ModelTarget): void {
    const broken = target.unusable !== undefined;
    if (broken === servedFilesBroken) return;
    servedFilesBroken = broken;
    if (broken) {
      const message = withoutPaths(target.unusable instanceof Error ? target.unusable.message : String(target.unusable), target.dir || undefined);
      logger.error("the served champion's files in the registry no longer load: this server serves it from memory, but a restart or a new server would fail to load it; put its folder back (mailroute restore, or models/<id> from a backup)", { modelId: target.id, error: message });
      emit({ kind: 'champion_files', broken: true, modelId: target.id, message });
    } else {
      logger.info("the served champion's files in the registry load again", { modelId: target.id });
      emit({ kind: 'champion_files', broken: false, modelId: target.id });
    }
  }

  async function doReload(force: boolean): Promise<ReloadOutcome> {
    const previousModelId = slot?.classifier.modelId;
    let target: ModelTarget | undefined;
    let next: EmailClassifier | undefined;
    let resolved = false;
    try {
      target = await options.resolve();
      resolved = true;
      registryReadable();
      if (target === undefined) {
        if (slot === undefined) throw new NoChampionError('There is no model to serve (no champion in the registry).');
        // The champion that failed to load was rejected, and no other is wanted: its failure is over (the missing
        // champion is said below, and by its own gauge).
        failureOverBesides(previousModelId);
        // Said once, not every poll: serving the last model beats answering nothing.
        if (!championMissing) {
          logger.warn('the registry has no champion now; the loaded model keeps serving until another is approved', { modelId: previousModelId });
          emit({ kind: 'champion_missing', missing: true, modelId: previousModelId });
        }
        championMissing = true;
        return { changed: false, modelId: previousModelId, previousModelId, noChampion: true };
      }
      if (championMissing) emit({ kind: 'champion_missing', missing: false });
      championMissing = false;
      if (!force && slot !== undefined && target.id === previousModelId) {
        // A champion that failed to load and was rolled back from: the model served is the one wanted again. Not a
        // failed forced reload of the model served itself (its files no longer load): that stays until one loads.
        failureOverBesides(previousModelId);
        servedFiles(target);
        return { changed: false, modelId: previousModelId, previousModelId };
      }
      // A champion that failed stays failed (artifacts do not change under an id): not retried, and not
      // logged again, every poll; a new champion or a forced reload tries again.
      if (!force && slot !== undefined && target.id === failedTargetId) {
        return { changed: false, modelId: previousModelId, previousModelId, skippedFailed: target.id };
      }
      lastReloadAt = iso();
      if (target.unusable !== undefined) throw target.unusable;
      next = await options.load(target);
      await verify(next);
      // A load takes seconds, in which the model can be rejected or another made champion: asked again before the
      // swap (a registry that fails this second read does not stop it).
      const loadedId = target.id;
      const championNow = slot === undefined ? loadedId : await options.resolve().then((t) => t?.id, () => loadedId);
      // Closed while it loaded: nothing may be swapped in that no one will release.
      if (closed) {
        await next.release().catch(() => undefined);
        return { changed: false, modelId: previousModelId, previousModelId };
      }
      if (championNow !== loadedId) {
        await next.release().catch(() => undefined);
        logger.info('the champion changed while its model loaded: not swapped in; the next poll loads the champion, if there is one', { modelId: loadedId });
        return { changed: false, modelId: previousModelId, previousModelId, championChanged: loadedId, ...(championNow === undefined ? { noChampion: true as const } : {}) };
      }
    } catch (error) {
      if (next) await next.release().catch(() => undefined);
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      // A registry that could not be read names no champion: no load was tried, and the one that failed before stays
      // failed (not retried and logged again).
      if (!resolved) {
        registryUnreadable(message);
        throw loadFailure(error, target, message);
      }
      failedReloads += 1;
      lastReloadError = { at: iso(), message: withoutPaths(message, target?.dir), modelId: target?.id };
      lastReloadAt = lastReloadError.at;
      if (target !== undefined) failedTargetId = target.id;
      // With no model yet (the first load), the caller gets the error and reports it: logged here too, a
      // failed start said the same thing twice.
      if (slot !== undefined && target !== undefined) logger.error('model load failed; the previous model keeps serving', { modelId: target.id, detail: message });
      emit({ kind: 'load_failed', modelId: target?.id, message });
      throw loadFailure(error, target, message);
    }
    // The classifier served already (a static source): nothing was opened, and releasing the old slot
    // would release it under the requests it still serves.
    if (slot !== undefined && next === slot.classifier) return { changed: false, modelId: previousModelId, previousModelId };
    const old = slot;
    slot = newSlot(next); // the swap: one assignment; requests that hold the old slot keep it.
    loadedAt = iso();
    // A forced reload of the model already served opens a fresh session but loads no other model.
    const replaced = old !== undefined && old.classifier.modelId !== next.modelId;
    if (replaced) reloads += 1;
    lastReloadError = undefined;
    failedTargetId = undefined;
    const approval = target?.approval;
    logger.info('model loaded', { modelId: next.modelId, previousModelId, ...approval });
    // A model loaded from its files: what was said of the files of the one before is over.
    if (servedFilesBroken) {
      servedFilesBroken = false;
      emit({ kind: 'champion_files', broken: false, modelId: next.modelId });
    }
    if (approval?.gate === 'failed') {
      logger.warn('the model loaded was approved over its failed gate (registry approve --force): watch its live quality', { modelId: next.modelId, ...approval });
    }
    emit({ kind: 'loaded', modelId: next.modelId, previousModelId, tasks: next.tasks.map((t) => t.name) });
    if (old) {
      old.retired = true;
      maybeRelease(old);
    }
    return { changed: replaced || old === undefined, loaded: true, modelId: next.modelId, previousModelId };
  }

  const source: ClassifierSource = {
    acquire() {
      const s = slot;
      // Closed: the model is released (or being released) for good; a retry goes to another server.
      if (closed) throw new ModelNotReadyError(SHUTTING_DOWN);
      if (s === undefined) throw new ModelNotReadyError('No model is loaded yet.');
      s.inFlight += 1;
      let done = false;
      return {
        classifier: s.classifier,
        release() {
          if (done) return;
          done = true;
          s.inFlight -= 1;
          maybeRelease(s);
        },
      };
    },
    current: () => slot?.classifier,
    reload(opts = {}) {
      if (closed) return Promise.reject(new ModelNotReadyError(SHUTTING_DOWN));
      const run = chain.then(() => doReload(opts.force === true));
      chain = run.catch(() => undefined);
      return run;
    },
    isClosed: () => closed,
    status: () => ({
      modelId: slot?.classifier.modelId,
      loadedAt,
      reloads,
      failedReloads,
      lastReloadAt,
      lastReloadError: registryError ?? lastReloadError,
    }),
    startPolling(intervalMs) {
      if (timer) clearInterval(timer);
      if (closed) return;
      timer = setInterval(() => {
        source.reload().catch(() => undefined); // reported through the logger, the metric and status()
      }, intervalMs);
      timer.unref();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await chain;
      const s = slot;
      if (s) {
        s.retired = true;
        maybeRelease(s);
        await s.drained;
      }
    },
    onEvent(listener) {
      listeners.push(listener);
    },
  };
  return source;
}

/**
 * What a failed reload throws. Before a target was found, nothing failed to load: a registry that cannot be read
 * (a truncated `registry.json`, one missing beside its models) is its own error with its own code
 * (`REGISTRY_INDEX_INVALID`), not `Loading model ? failed`; another failure to find the target (a model directory's
 * manifest unreadable) is a failed load without a model id. Once a target is known, a failure is that model's load.
 */
function loadFailure(error: unknown, target: ModelTarget | undefined, message: string): unknown {
  if (error instanceof ModelLoadError || error instanceof NoChampionError) return error;
  if (target === undefined && error instanceof RegistryError) return error;
  const what = target === undefined ? 'Finding the model to serve failed' : `Loading model ${target.id} failed`;
  return new ModelLoadError(`${what}: ${message}`, {}, { cause: error });
}

/**
 * A message with absolute file paths cut to their last part: `status()` is public (GET /v1/model). A folder's
 * name may hold several words (`/home/Anna Maria von der Heide/.mailroute`, `C:\Program Files (x86)`): a path cut at
 * its first blank named the account's owner in the answer (`Anna Müller/.mailroute/models/x`). `dir`, the artifact's
 * folder when known, is cut to its name first, whatever its parents are called (an apostrophe, more words).
 */
export function withoutPaths(message: string, dir?: string): string {
  const named = dir === undefined ? message : message.split(path.resolve(dir)).join(path.basename(dir));
  return named.replace(/(?<![^\s'"`(=:/])(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"`]+(?: [^\s\\/:'"`]+){0,7})+[\\/]([^\s\\/:'"`]+)/g, '$1');
}

/**
 * The first file the artifact's manifest lists that is not in its folder (`model.onnx` deleted under a served model),
 * said; undefined when every one is there. Only looked for, not hashed: the load hashes them.
 */
async function missingFile(dir: string): Promise<string | undefined> {
  let files: string[];
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as { files?: Record<string, string> };
    files = Object.keys(manifest.files ?? {});
  } catch (error) {
    return `${MANIFEST_FILE} cannot be read in ${dir}: ${(error as Error).message}`;
  }
  for (const name of files) {
    if (!(await stat(path.join(dir, name)).then((info) => info.isFile(), () => false))) return `${name} is missing from ${dir}`;
  }
  return undefined;
}

/**
 * Serves the registry's champion. `checkFiles`: each resolve also looks for every file the champion's manifest lists
 * (`missingFile`), so that a file deleted under the model served is said (a local registry's folders).
 */
export function registryTarget(registry: ModelRegistry, options: { checkFiles?: boolean } = {}): () => Promise<ModelTarget | undefined> {
  return async () => {
    const champion = await registry.champion();
    if (!champion) return undefined;
    const approval: ChampionApproval = {
      ...(champion.statusChangedBy === undefined ? {} : { approvedBy: champion.statusChangedBy }),
      ...(champion.statusChangedAt === undefined ? {} : { approvedAt: champion.statusChangedAt }),
      ...(champion.statusNote === undefined ? {} : { approvalNote: champion.statusNote }),
      gate: champion.gate === undefined ? 'none' : champion.gate.pass ? 'passed' : 'failed',
    };
    // An artifact the registry refuses (a manifest changed since registration) is this champion's failed
    // load: reported once and not retried every poll, like a model onnxruntime cannot load.
    return registry.artifactDir(champion.id).then(
      async (dir) => {
        const missing = options.checkFiles === true ? await missingFile(dir) : undefined;
        return missing === undefined ? { id: champion.id, dir, approval } : { id: champion.id, dir, approval, unusable: new Error(missing) };
      },
      (unusable: unknown) => ({ id: champion.id, dir: '', unusable }),
    );
  };
}

/** Serves one fixed classifier (tests, or a caller that manages models itself). */
export function createStaticClassifierSource(classifier: EmailClassifier, options: { verify?: (c: EmailClassifier) => Promise<void> } = {}): ClassifierSource {
  return createClassifierSource({
    resolve: async () => ({ id: classifier.modelId, dir: '' }),
    load: async () => classifier,
    verify: options.verify ?? (async () => undefined),
  });
}
