import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MODEL_STATUSES, type ModelRegistry, type ModelVersion, type StatusChangeOptions } from '../contracts.js';
import { checkManifest, checkRegisteredArtifact, ModelIdSchema, parseManifestHead, readCopiedManifest, restoreAdvice } from './artifact-check.js';
import { RegistryError, type RegistryErrorCode } from './errors.js';
import { checkHomeDirectory } from './home.js';
import { decidedBy, gateDecidedError, gateFailedError, gateOverrideNote, GateRecordSchema, rejectionOverrideNote, type GateRecord } from './gate-record.js';
import { copyDirDurable, fsyncDir, makeDirectory, makeHomeDirectory, writeFileAtomic } from './fs-atomic.js';
import { holderRecord, withFileLock, type HeldLock, type LockOptions } from './lock.js';
import { copyNoSpaceError, indexNoSpaceError, pruneNoSpaceError, type IndexWrite } from './no-space.js';
import { measuredOnOfManifest } from './measured-on.js';
import { processAlive } from './process-alive.js';
import { directoryBytes, fileSizes, pruneCandidates, statusSince, type PruneOptions, type PruneResult, type PrunedVersion } from './prune.js';
import { rollbackCandidates } from './rollback.js';
import { isNearId } from '../edit-distance.js';
import { namingFile, outOfRoom } from '../write-errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The lock file in a registry's home that every registry write holds (`mailroute backup` holds it to read a consistent index). */
export const REGISTRY_LOCK_FILE = 'registry.lock';

/**
 * This machine, in a staging directory's name: a process id says whether a writer lives only on its own host, so a
 * write on another machine sharing the home (a network drive) leaves this one's staging copy alone. A hash, 8 hex
 * digits: a host name of up to 63 characters beside a 200-character model id would make a name too long.
 */
export const STAGING_HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Another host's staging copy untouched this long is abandoned (a copy takes seconds to minutes). */
const FOREIGN_STAGING_MS = DAY_MS;

// Loose objects: a field a newer mailroute added (an optional one, so schemaVersion stays 1) survives a write by this
// one, which would otherwise drop it from every version it rewrites (a prune's prunedAt, a rollback's history).
export const ModelVersionSchema = z.looseObject({
  /**
   * As register makes them (no length limit: ids up to about 230 characters were registered before there was
   * one). An index edited by hand to hold `../elsewhere` is refused: artifactDir would hand out a directory
   * outside models/ for serving to load.
   */
  id: ModelIdSchema,
  version: z.number().int().positive(),
  status: z.enum(MODEL_STATUSES),
  createdAt: z.string(),
  family: z.string(),
  tasks: z.array(z.string()),
  dataHash: z.string(),
  metrics: z.record(z.string(), z.number()),
  /** Which rows `metrics` were measured on (`held-out test split (seed 0, 0.2)`); absent when unknown. */
  measuredOn: z.string().optional(),
  statusChangedAt: z.string().optional(),
  statusChangedBy: z.string().optional(),
  statusNote: z.string().optional(),
  note: z.string().optional(),
  runId: z.string().optional(),
  manifestSha256: z.string().optional(),
  // `gate`: the gate a decision was made on (optional: entries written before it read as before).
  history: z
    .array(z.looseObject({ status: z.enum(MODEL_STATUSES), at: z.string(), by: z.string().optional(), note: z.string().optional(), gate: GateRecordSchema.optional() }))
    .optional(),
  gate: GateRecordSchema.optional(),
  prunedAt: z.string().optional(),
});

export const RegistryIndexSchema = z.looseObject({
  schemaVersion: z.literal(1),
  champion: z.string().nullable(),
  /**
   * Every champion, oldest first (`at` absent on the one a registry written before this list had): what
   * rejecting the champion rolls back to. A registry without it rolls back as if none was champion before.
   */
  championHistory: z
    .array(
      z.looseObject({
        id: z.string(),
        at: z.string().optional(),
        // How it became champion, who made it so and why (optional: entries written before them read as before). A
        // string, not an enum: a way a newer mailroute adds must not make this one refuse the index.
        via: z.string().optional(),
        by: z.string().optional(),
        note: z.string().optional(),
      }),
    )
    .optional(),
  versions: z.array(ModelVersionSchema),
});

/**
 * How a version became champion: `approve` (an approval that promoted it, or approving an Approved version again),
 * `champion` (`setChampion`, `mailroute registry champion <id>`), `rollback` (the champion before it was rejected).
 */
export type ChampionVia = 'approve' | 'champion' | 'rollback';

/**
 * One change of champion, as `championHistory` keeps it: `at` absent on the first entry of a registry written before
 * the history was kept; `via`, `by` and `note` absent on entries written before they were (for a rollback, `by` and
 * `note` are the rejection's).
 */
export interface ChampionChange {
  id: string;
  at?: string;
  via?: ChampionVia | (string & {});
  by?: string;
  note?: string;
}
/** The index as the code reads it: what `RegistryIndexSchema` checks, the fields of a newer mailroute carried unseen. */
export interface RegistryIndex {
  schemaVersion: 1;
  champion: string | null;
  championHistory?: ChampionChange[];
  versions: ModelVersion[];
}

/** Test hooks: let a test kill the process at a chosen point of a write, or fail it there as a full disk would. */
export interface RegistryHooks {
  afterCopyFile?: (relative: string) => void | Promise<void>;
  /** Runs just before the writer's record goes into its new lock file. */
  beforeLockWrite?: () => void | Promise<void>;
  beforeIndexWrite?: () => void | Promise<void>;
}

export interface LocalRegistryOptions {
  /** `MAILROUTE_HOME`: models/<id>/ holds each artifact, registry.json the index. */
  home: string;
  hooks?: RegistryHooks;
  lock?: LockOptions;
  now?: () => Date;
}

/** Numeric leaves of the manifest metrics, flattened with dots (`queue.macro_f1`). */
function headlineMetrics(metrics: Record<string, unknown> | undefined, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  for (const [key, value] of Object.entries(metrics ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value) && prefix.split('.').length < 3) {
      headlineMetrics(value as Record<string, unknown>, name, out);
    }
  }
  return out;
}

/**
 * The local model registry under `MAILROUTE_HOME`. Writes are atomic (artifacts are copied to a staging
 * directory on the same filesystem, fsynced, then renamed; the index is replaced via temp file + rename)
 * and serialised across processes by a lock file, so a crash never leaves a half model visible.
 */
/** Why an artifact's manifest.json could not be read, in words (not Node's `ENOENT: no such file or directory, open …`). */
function manifestReadProblem(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is none: a model artifact is a folder of manifest.json and the files it lists';
  if (code === 'ENOTDIR') return 'not a folder';
  if (code === 'EISDIR') return 'manifest.json is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (cause as Error).message.split('\n')[0];
}

export class LocalModelRegistry implements ModelRegistry {
  readonly home: string;
  private readonly modelsDir: string;
  private readonly indexFile: string;
  private readonly lockFile: string;

  constructor(private readonly options: LocalRegistryOptions) {
    this.home = path.resolve(options.home);
    checkHomeDirectory(this.home);
    this.modelsDir = path.join(this.home, 'models');
    this.indexFile = path.join(this.home, 'registry.json');
    this.lockFile = path.join(this.home, REGISTRY_LOCK_FILE);
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** The index last read, and the identity of its file (every write renames a new file over it): a poll every 5 s reads it again only when it changed. */
  private cached: { key: string; index: RegistryIndex } | undefined;

  /**
   * The index last parsed, while its file is the same (inode, size, mtime), to read and not to change: a server's
   * poll read and zod-checked the whole index twice every 5 s, 81 ms at 2,000 versions. The reads below copy what
   * they return; writes (`update`) always read the file anew.
   */
  private async sharedIndex(): Promise<RegistryIndex> {
    const info = await stat(this.indexFile).catch(() => undefined);
    const key = info === undefined ? undefined : `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (key !== undefined && this.cached?.key === key) return this.cached.index;
    const index = await this.readIndex();
    this.cached = key === undefined ? undefined : { key, index };
    return index;
  }

  private async readIndex(): Promise<RegistryIndex> {
    let text: string;
    try {
      text = await readFile(this.indexFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // No index yet is a new registry, unless models are there: then it was lost, and reading on would
      // show an empty registry (and the next write would find every model unlisted).
      const models = (await readdir(this.modelsDir).catch(() => [] as string[])).filter((e) => !e.startsWith('.'));
      if (models.length > 0) throw this.indexMissing(models);
      return { schemaVersion: 1, champion: null, versions: [] };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      // Writes are atomic, so this is a hand edit or a damaged disk: say which file, touch nothing.
      throw new RegistryError('REGISTRY_INDEX_INVALID', `${this.indexFile}: not JSON (${(cause as Error).message}); restore it or fix it by hand`, { cause });
    }
    const parsed = RegistryIndexSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RegistryError('REGISTRY_INDEX_INVALID', `${this.indexFile}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return parsed.data;
  }

  /**
   * Replaces the index, only while `lock` is still this writer's: one taken for stale meanwhile (this process paused
   * past its staleness on a host that cannot be asked) would write the index it read before over the other writer's
   * change. Then nothing is written (`REGISTRY_LOCK_LOST`).
   */
  private async writeIndex(index: RegistryIndex, lock: HeldLock): Promise<void> {
    try {
      await this.options.hooks?.beforeIndexWrite?.();
      await writeFileAtomic(this.indexFile, indexText(index), { beforeRename: () => lock.check() });
    } catch (error) {
      throw namingFile(error, this.indexFile);
    }
  }

  /**
   * `REGISTRY_NO_SPACE` for a write of the lock file or the index that found no room (the file, the room needed and
   * free, what to do; for a prune, why it records before it frees); undefined for any other error.
   */
  private async noSpace(error: unknown, indexBytes: number | undefined, pruning?: () => Promise<number>): Promise<RegistryError | undefined> {
    const file = (error as NodeJS.ErrnoException).path;
    if (!outOfRoom(error) || file === undefined || path.dirname(path.resolve(file)) !== this.home) return undefined;
    const write = await this.indexWrite(file, indexBytes);
    return pruning === undefined ? indexNoSpaceError(error, write) : pruneNoSpaceError(error, write, await pruning());
  }

  /** The files an index write makes, by size: the new index's when known, else the old one's (or an empty one's). */
  private async indexWrite(file: string, indexBytes: number | undefined): Promise<IndexWrite> {
    const old = await stat(this.indexFile).then((info) => info.size, () => Buffer.byteLength(indexText({ schemaVersion: 1, champion: null, versions: [] })));
    return { home: this.home, file, lockBytes: Buffer.byteLength(holderRecord()), indexBytes: indexBytes ?? old, indexExact: indexBytes !== undefined };
  }

  /**
   * Every write: under the lock, the index read, what a dead writer left collected (`collectGarbage`), `fn`
   * applied, the index written. Collecting here, not only in `register`, means an approval, rejection, change of
   * champion or recorded gate also moves aside a model killed mid-registration, rather than leaving it in models/
   * until the next registration.
   */
  private async update<T>(
    fn: (index: RegistryIndex, lock: HeldLock) => Promise<T> | T,
    options: { onIndexWriteFailed?: () => Promise<void>; pruning?: () => Promise<number> } = {},
  ): Promise<T> {
    await makeHomeDirectory(this.home);
    let indexBytes: number | undefined;
    try {
      return await withFileLock(
        this.lockFile,
        async (lock) => {
          const index = await this.readIndex();
          await this.collectGarbage(index);
          const result = await fn(index, lock);
          try {
            await this.writeIndex(index, lock);
          } catch (error) {
            indexBytes = Buffer.byteLength(indexText(index));
            // Still under the lock: no other writer has seen what `fn` placed unlisted.
            await options.onIndexWriteFailed?.();
            throw error;
          }
          return result;
        },
        this.options.lock,
        { beforeHolderWrite: this.options.hooks?.beforeLockWrite },
      );
    } catch (error) {
      // Said once the lock is given back: what it took no longer counts against the room there is.
      throw (await this.noSpace(error, indexBytes, options.pruning)) ?? error;
    }
  }

  private indexMissing(models: readonly string[]): RegistryError {
    const shown = models.slice(0, 3).join(', ') + (models.length > 3 ? ', ...' : '');
    return new RegistryError(
      'REGISTRY_INDEX_MISSING',
      `${this.indexFile} is missing but ${this.modelsDir} holds ${models.length} model(s) (${shown}): restore registry.json from a backup, or move models/ aside to start a new registry`,
    );
  }

  private find(index: RegistryIndex, id: string): ModelVersion {
    const found = index.versions.find((v) => v.id === id);
    if (!found) {
      // Ids are long: name the ones a shortened or mistyped id may have meant.
      const near = index.versions.filter((v) => String(v.version) === id || isNearId(v.id, id)).map((v) => v.id);
      const hint = near.length > 0 ? `; did you mean ${near.slice(0, 3).join(' or ')}?` : '; mailroute registry list shows the ids';
      throw new RegistryError('REGISTRY_NOT_FOUND', `no model "${id}" in the registry at ${this.home}${hint}`);
    }
    return found;
  }

  /**
   * Removes staging directories of writers that died. An artifact directory no index entry points to
   * (a writer killed between its rename and its index write, or an index restored from an older backup)
   * is moved aside to `models/.unlisted-<id>-<time>`, never deleted: it may be the only copy. (A missing
   * index beside artifacts never gets here: `readIndex` refuses it.) Called holding the lock, by every write:
   * a live writer renames its artifact in and lists it in the index under that lock, so no other writer can
   * see its directory unlisted; and a live writer's staging directory carries its pid, which is alive, and its
   * host (`STAGING_HOST`): another machine's are left to it, as its pids mean nothing here.
   */
  private async collectGarbage(index: RegistryIndex): Promise<void> {
    const known = new Set(index.versions.map((v) => v.id));
    const entries = await readdir(this.modelsDir).catch(() => [] as string[]);
    // A prune stopped between its index write and the removal of a directory (a crash, Ctrl-C): finished here.
    const pruned = new Set(index.versions.filter((v) => v.prunedAt !== undefined).map((v) => v.id));
    for (const entry of entries) if (pruned.has(entry)) await rm(path.join(this.modelsDir, entry), { recursive: true, force: true });
    const unlisted = entries.filter((e) => !e.startsWith('.') && !known.has(e));
    for (const entry of entries) {
      // A name without a host (an older mailroute's) is taken for this host's.
      const staging = /^\.staging-.+-(\d+)-[0-9a-f]+(?:\.([0-9a-f]{8}))?$/.exec(entry);
      if (staging && (staging[2] === undefined || staging[2] === STAGING_HOST)) {
        const pid = Number(staging[1]);
        if (pid !== process.pid && !processAlive(pid)) await rm(path.join(this.modelsDir, entry), { recursive: true, force: true });
      } else if (staging) {
        // Another host's: its pid means nothing here, but no copy takes a day (a host renamed or gone left it).
        const changed = await stat(path.join(this.modelsDir, entry)).then((info) => info.mtimeMs, () => Date.now());
        if (Date.now() - changed > FOREIGN_STAGING_MS) await rm(path.join(this.modelsDir, entry), { recursive: true, force: true });
      }
    }
    if (unlisted.length === 0) return;
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    for (const entry of unlisted) await rename(path.join(this.modelsDir, entry), path.join(this.modelsDir, `.unlisted-${entry}-${stamp}`));
  }

  async register(artifactDir: string, options: { note?: string; runId?: string } = {}): Promise<ModelVersion> {
    // Read first to refuse a directory that is no artifact before copying it; what is registered is read from the copy.
    const source = parseManifestHead(await readFile(path.join(artifactDir, 'manifest.json')).catch((cause: unknown) => {
      throw new RegistryError('REGISTRY_ARTIFACT_INVALID', `${artifactDir}: no valid manifest.json (${manifestReadProblem(cause)})`, { cause });
    }), artifactDir);
    // The home first, so that one made here is made its owner's alone (makeHomeDirectory), not by the models folder's mkdir -p.
    await makeHomeDirectory(this.home);
    await makeDirectory(this.modelsDir);
    const staging = path.join(this.modelsDir, `.staging-${source.modelId}-${process.pid}-${randomBytes(4).toString('hex')}.${STAGING_HOST}`);
    // Where the model was moved to for the index to list it: taken back out, under the lock, if the index write then
    // fails (a full disk), rather than left to take space as an unlisted folder that is only moved aside later.
    let placed: string | undefined;
    const takeBackOut = async () => {
      if (placed !== undefined) await rm(placed, { recursive: true, force: true }).catch(() => undefined);
    };
    try {
      await copyDirDurable(artifactDir, staging, this.options.hooks?.afterCopyFile).catch(async (error: unknown) => {
        if (!outOfRoom(error)) throw error;
        // Removed first: the room it took is free again, and the message says what there is.
        await rm(staging, { recursive: true, force: true });
        const { dest, path: at } = error as NodeJS.ErrnoException & { dest?: string };
        const write = await this.indexWrite(dest ?? at ?? staging, undefined);
        throw await copyNoSpaceError(error, { ...write, modelsDir: this.modelsDir, modelFiles: await fileSizes(artifactDir) });
      });
      const { head, manifestSha256 } = await readCopiedManifest(staging, artifactDir);
      return await this.update(async (index, lock) => {
        if (index.versions.some((v) => v.id === head.modelId)) {
          throw new RegistryError('REGISTRY_DUPLICATE', `model "${head.modelId}" is already registered`);
        }
        // The first model of a new registry: its index exists before the model does, so a crash between
        // the two leaves an unlisted model (moved aside later), not a models/ without an index.
        if (!existsSync(this.indexFile)) await this.writeIndex(index, lock);
        const target = path.join(this.modelsDir, head.modelId);
        await rename(staging, target);
        placed = target;
        await fsyncDir(this.modelsDir);
        const createdAt = this.now();
        const version: ModelVersion = {
          id: head.modelId,
          version: index.versions.reduce((m, v) => Math.max(m, v.version), 0) + 1,
          status: 'PendingManualApproval',
          createdAt,
          family: head.family,
          tasks: head.tasks.map((t) => t.name),
          dataHash: head.dataHash,
          metrics: headlineMetrics(head.metrics),
          ...measuredOnOfManifest(head),
          ...(options.note !== undefined ? { note: options.note } : {}),
          ...(options.runId !== undefined ? { runId: options.runId } : {}),
          manifestSha256,
          history: [{ status: 'PendingManualApproval', at: createdAt }],
        };
        index.versions.push(version);
        return version;
      }, { onIndexWriteFailed: takeBackOut });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  async list(): Promise<ModelVersion[]> {
    return structuredClone((await this.sharedIndex()).versions).sort((a, b) => b.version - a.version);
  }

  async get(id: string): Promise<ModelVersion> {
    return structuredClone(this.find(await this.sharedIndex(), id));
  }

  async approve(id: string, options: StatusChangeOptions & { promote?: boolean; force?: boolean } = {}): Promise<ModelVersion> {
    await this.checkArtifact(id);
    return this.update((index) => {
      const v = this.find(index, id);
      // Pruned since its artifact was checked (a prune that took the lock in between): nothing left to serve.
      if (v.prunedAt !== undefined) throw this.prunedError(v);
      if (v.status === 'Rejected' && !options.force) {
        const who = [decidedBy(v), v.statusNote && `("${v.statusNote}")`].filter(Boolean).join(' ');
        throw new RegistryError('REGISTRY_REJECTED', `model "${id}" was rejected${who ? ` ${who}` : ''}; approving it undoes that decision: pass force to do so`);
      }
      // Approving an Approved version again changes nothing but the champion (as setChampion): the first
      // approval (who, when, why, a failed gate it overrode) stays the decision on record, and with no
      // decision made the gate is not checked again.
      if (v.status !== 'Approved') {
        // Undoing a rejection is part of the decision too: its note says whose, beside the person's.
        if (v.status === 'Rejected') options = { ...options, note: [options.note, rejectionOverrideNote(v)].filter(Boolean).join('; ') };
        if (v.gate && !v.gate.pass) {
          if (!options.force) throw gateFailedError(v.id, v.gate);
          // Overriding a measured failure is part of the decision: its note says so, beside the person's.
          options = { ...options, note: [options.note, gateOverrideNote(v.gate)].filter(Boolean).join('; ') };
        }
        this.recordStatus(v, 'Approved', options);
      }
      if (options.promote !== false) this.makeChampion(index, id, { via: 'approve', ...decider(options) });
      return { ...v };
    });
  }

  /**
   * Keeps the gate's outcome on a version awaiting its decision (replacing an earlier one), under the lock; the
   * artifact and its hashes are not touched. An Approved or Rejected version is refused (`REGISTRY_DECIDED`): its gate
   * is the one its decision was made on, which a later compare must not replace.
   */
  async recordGate(id: string, gate: GateRecord): Promise<ModelVersion> {
    const record = GateRecordSchema.parse(gate);
    return this.update((index) => {
      const v = this.find(index, id);
      if (v.status !== 'PendingManualApproval') throw gateDecidedError(v);
      v.gate = record;
      return { ...v };
    });
  }

  /**
   * Rejects a version. Rejecting the champion rolls back (`rollbackCandidates`: the last earlier champion still
   * Approved, else the newest Approved version whose gate did not fail) to the first candidate whose artifact passes the
   * check `setChampion` makes (every file present, with the sha256 its manifest gives; the manifest the one registered
   * and one a server can load): a candidate whose folder was moved away or whose files changed is passed over, and
   * `onRollbackSkipped` is told which and why. When there are candidates and none passes, nothing changes
   * (`REGISTRY_NO_ROLLBACK`): the champion stays, rather than a champion no server can load being named.
   */
  async reject(id: string, options: RejectOptions = {}): Promise<ModelVersion> {
    let skipped: RollbackSkip[] = [];
    const rejected = await this.update(async (index) => {
      const v = this.find(index, id);
      // Rejected already: that decision stays the one on record, and nothing else changes.
      if (v.status === 'Rejected') return { ...v };
      // A rejected model cannot stay champion: the previous champion still Approved takes over (a rollback), else the
      // newest Approved version whose gate did not fail, else none; each only with an intact artifact.
      let next: ModelVersion | undefined;
      if (index.champion === id) {
        ({ next, skipped } = await this.rollbackTarget(index, id));
        if (next === undefined && skipped.length > 0) throw this.noRollbackError(id, skipped);
      }
      this.recordStatus(v, 'Rejected', options);
      if (index.champion === id) this.makeChampion(index, next?.id ?? null, { via: 'rollback', ...decider(options) });
      return { ...v };
    });
    if (skipped.length > 0) options.onRollbackSkipped?.(structuredClone(skipped));
    return rejected;
  }

  /** The first of `rollbackCandidates` whose artifact passes `checkArtifact`'s check, and those passed over before it, with why. */
  private async rollbackTarget(index: RegistryIndex, rejected: string): Promise<{ next?: ModelVersion; skipped: RollbackSkip[] }> {
    const skipped: RollbackSkip[] = [];
    for (const candidate of rollbackCandidates(index.versions, (index.championHistory ?? []).map((c) => c.id), rejected)) {
      const dir = path.join(this.modelsDir, candidate.id);
      try {
        if (candidate.prunedAt !== undefined) throw this.prunedError(candidate);
        await checkRegisteredArtifact(dir, candidate.id, candidate.manifestSha256, { loadable: true });
        return { next: candidate, skipped };
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        // What is wrong, without the advice each error gives: the refusal gives it once.
        const reason = error.message.replace(`; ${restoreAdvice(dir, candidate.id)}`, '');
        skipped.push({ id: candidate.id, version: candidate.version, dir, code: error.code, reason });
      }
    }
    return { skipped };
  }

  private noRollbackError(id: string, skipped: readonly RollbackSkip[]): RegistryError {
    const named = skipped.slice(0, MAX_SKIPPED_NAMED).map((s) => `${s.reason} [${s.code}]`);
    const more = skipped.length > MAX_SKIPPED_NAMED ? `; and ${skipped.length - MAX_SKIPPED_NAMED} more` : '';
    const first = skipped[0];
    return new RegistryError(
      'REGISTRY_NO_ROLLBACK',
      `model "${id}" is the champion and was not rejected: no version a rollback could go back to has an intact artifact (${named.join('; ')}${more}); ` +
        `nothing changed: "${id}" stays the champion, and servers keep serving it. Restore one first: ${restoreAdvice(path.join(this.modelsDir, first.id), first.id)}; ` +
        'or make another Approved version champion (`mailroute registry champion <id>`, which checks its artifact) or approve one, then reject again',
    );
  }

  /**
   * Sets the champion, keeping each new one in `championHistory` (what a rollback goes back to, and what
   * `mailroute registry history` prints) with how it came about, who made it so and why.
   */
  private makeChampion(index: RegistryIndex, id: string | null, change: Omit<ChampionChange, 'id' | 'at'>): void {
    if (index.champion === id) return;
    // A registry from before the history: its champion of now is the first one known.
    const history = index.championHistory ?? (index.champion === null ? [] : [{ id: index.champion }]);
    index.championHistory = id === null ? history : [...history, { id, at: this.now(), ...change }];
    index.champion = id;
  }

  /** Sets a decided status: the last decision's fields (the registration note stays) and the history. */
  private recordStatus(v: ModelVersion, status: 'Approved' | 'Rejected', options: StatusChangeOptions): void {
    const at = this.now();
    v.status = status;
    v.statusChangedAt = at;
    if (options.by) v.statusChangedBy = options.by;
    else delete v.statusChangedBy;
    if (options.note) v.statusNote = options.note;
    else delete v.statusNote;
    const history = v.history ?? [{ status: 'PendingManualApproval' as const, at: v.createdAt }];
    // The gate on record now is the evaluation this decision was made on: kept with it, whatever becomes of `v.gate`.
    v.history = [...history, { status, at, ...decider(options), ...(v.gate ? { gate: structuredClone(v.gate) } : {}) }];
  }

  /**
   * Removes the artifacts of versions no server or rollback needs: Rejected ones and ones still awaiting approval,
   * `olderThanDays` after their registration or rejection (never the champion, never an Approved version). Their
   * records stay in the index with `prunedAt`: decisions, metrics and gates remain on record. The index is written
   * first, under the lock, then the directories are removed: a crash between leaves directories that the next
   * write of the registry removes, never an index entry that promises an artifact that is gone.
   */
  async prune(options: PruneOptions): Promise<PruneResult> {
    const cutoff = Date.parse(this.now()) - options.olderThanDays * DAY_MS;
    const measure = (versions: readonly ModelVersion[]): Promise<PrunedVersion[]> =>
      Promise.all(versions.map(async (v) => ({ id: v.id, version: v.version, status: v.status, since: statusSince(v), bytes: await directoryBytes(path.join(this.modelsDir, v.id)) })));
    const unlisted = (await readdir(this.modelsDir).catch(() => [] as string[])).filter((e) => e.startsWith('.unlisted-')).sort();
    const outcome = (pruned: PrunedVersion[], kept: PruneResult['kept'], dryRun: boolean): PruneResult => ({
      dryRun,
      pruned,
      bytes: pruned.reduce((sum, v) => sum + v.bytes, 0),
      kept,
      unlisted,
    });
    // Read first, without the lock: nothing to prune writes nothing (a mistyped home is not created, and a
    // registry in use is not locked for nothing). The candidates are chosen again under the lock.
    const seen = pruneCandidates(await this.sharedIndex(), cutoff);
    if (options.dryRun || seen.prune.length === 0) return outcome(await measure(seen.prune), seen.kept, options.dryRun === true);
    // On a full disk the record fails: its error says how much it would have freed, to weigh against what it needs.
    const pruning = async () => (await measure(seen.prune)).reduce((sum, v) => sum + v.bytes, 0);
    const { pruned, kept } = await this.update(
      async (index) => {
        const { prune, kept } = pruneCandidates(index, cutoff);
        const measured = await measure(prune);
        const at = this.now();
        for (const v of prune) v.prunedAt = at;
        return { pruned: measured, kept };
      },
      { pruning },
    );
    for (const v of pruned) await rm(path.join(this.modelsDir, v.id), { recursive: true, force: true });
    return outcome(pruned, kept, false);
  }

  async champion(): Promise<ModelVersion | undefined> {
    const index = await this.sharedIndex();
    const champion = index.champion === null ? undefined : index.versions.find((v) => v.id === index.champion);
    return champion === undefined ? undefined : structuredClone(champion);
  }

  /** The ids of every champion, oldest first (repeats included), as far as the registry kept them. */
  async championHistory(): Promise<string[]> {
    return ((await this.sharedIndex()).championHistory ?? []).map((c) => c.id);
  }

  /**
   * Every change of champion, oldest first, with when, how, by whom and why as far as the registry kept them (a
   * registry from before the history: its champion then, with no time, stands first once it changes).
   */
  async championChanges(): Promise<ChampionChange[]> {
    const index = await this.sharedIndex();
    return structuredClone(index.championHistory ?? (index.champion === null ? [] : [{ id: index.champion }]));
  }

  /**
   * Whether the history holds every champion the registry had: false for a registry made by a mailroute from
   * before it kept one, whose history (if it has one by now) starts with the champion it had then, with no time.
   */
  async championHistoryComplete(): Promise<boolean> {
    const index = await this.sharedIndex();
    if (index.championHistory === undefined) return index.champion === null && index.versions.every((v) => v.status !== 'Approved');
    return index.championHistory.length === 0 || index.championHistory[0].at !== undefined;
  }

  /** Makes an Approved version the champion; `by` and `note` are kept with the change in the champion history. */
  async setChampion(id: string, options: StatusChangeOptions = {}): Promise<void> {
    await this.checkArtifact(id);
    await this.update((index) => {
      const v = this.find(index, id);
      if (v.prunedAt !== undefined) throw this.prunedError(v);
      if (v.status !== 'Approved') throw new RegistryError('REGISTRY_NOT_APPROVED', `model "${id}" is ${v.status}; only an Approved model can be champion`);
      this.makeChampion(index, id, { via: 'champion', ...decider(options) });
    });
  }

  private prunedError(v: ModelVersion): RegistryError {
    return new RegistryError(
      'REGISTRY_PRUNED',
      `model "${v.id}" (${v.status}) was pruned at ${v.prunedAt}: its artifact is removed, its record stays (\`mailroute registry show ${v.id}\`); train it again to use it`,
    );
  }

  /**
   * Refuses (REGISTRY_ARTIFACT_TAMPERED, naming the file) a model whose artifact changed since registration, and
   * (REGISTRY_ARTIFACT_INVALID) one whose manifest no server can load, registered before that was checked: no server could load it.
   */
  private async checkArtifact(id: string): Promise<void> {
    const version = await this.get(id);
    if (version.prunedAt !== undefined) throw this.prunedError(version);
    await checkRegisteredArtifact(path.join(this.modelsDir, id), id, version.manifestSha256, { loadable: true });
  }

  /** The artifact's directory, once its manifest is the one registered (versions registered before that check have no hash to compare). */
  async artifactDir(id: string): Promise<string> {
    const version = await this.get(id);
    if (version.prunedAt !== undefined) throw this.prunedError(version);
    const dir = path.join(this.modelsDir, id);
    if (version.manifestSha256 !== undefined) await checkManifest(dir, id, version.manifestSha256);
    return dir;
  }
}

/** Candidates a refused rollback names at most: the rest are counted. */
const MAX_SKIPPED_NAMED = 3;

/** A version a rollback passed over: its artifact failed the check `setChampion` makes (`reason`, without the advice). */
export interface RollbackSkip {
  id: string;
  version: number;
  /** Its folder, where an intact copy goes back. */
  dir: string;
  code: RegistryErrorCode;
  reason: string;
}

/** What `reject` takes: `onRollbackSkipped` is told, once the rejection is written, the versions its rollback passed over. */
export type RejectOptions = StatusChangeOptions & { onRollbackSkipped?: (skipped: RollbackSkip[]) => void };

/** registry.json's text: what every index write writes. */
function indexText(index: RegistryIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** `by` and `note` of a decision where given (an empty one is none). */
function decider(options: StatusChangeOptions): { by?: string; note?: string } {
  return { ...(options.by ? { by: options.by } : {}), ...(options.note ? { note: options.note } : {}) };
}

export function createLocalRegistry(options: LocalRegistryOptions): LocalModelRegistry {
  return new LocalModelRegistry(options);
}

export { checkManifest } from './artifact-check.js';
