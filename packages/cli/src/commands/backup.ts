import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, readlink, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { PID_NAMESPACE, processAlive, REGISTRY_LOCK_FILE, RegistryIndexSchema, withFileLock } from '@mailroute/model';
import { API_KEYS_FILE, DB_FILE, readFailureMessage, snapshotSqlite, sqliteSnapshotFacts, STORE_SCHEMA_VERSION, type SqliteSnapshotFacts } from '@mailroute/serving';
import { z } from 'zod';
import { buildVersion, commitText } from '../build-version.js';
import type { CliContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { formatSeconds } from '../format-seconds.js';
import { plural } from '../plural.js';
import { OutputPathError, placeOf, prepareOutput, realPathOfNew, refuseStandardOutput } from '../output-path.js';
import { createProgress, type Progress } from '../progress.js';
import { twoStepInterrupt } from '../interrupt.js';
import { safeJson, safeLines } from '../terminal-text.js';
import { errorCodeInWords, systemCode, writeStdout } from '../write-output.js';
import { formatBytes } from './registry-prune.js';
import { namedKeyFile } from './serve.js';

/** What a backup holds besides the files it copied: their sizes and sha256, and what a restore can be checked against. */
export const MANIFEST_FILE = 'backup.json';
/** backup.json's `formatVersion`: the one this mailroute writes and reads; a higher one is a newer mailroute's. */
export const BACKUP_FORMAT_VERSION = 1;
/** How long the backup waits for a registry write (a `train` registering, an approval) to finish. */
const LOCK_WAIT_MS = 120_000;
/**
 * Copies of fewer bytes than this in one stage (models, runs), a database smaller than this (its copy, check and
 * sha256), and a backup's files of fewer bytes to verify, report no progress: a few MB take well under a second.
 */
const PROGRESS_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** A failure of `backup` (exit code 1): the code says which. */
export class BackupError extends Error {
  constructor(
    readonly code: 'BACKUP_HOME_NOT_FOUND' | 'BACKUP_HOME_EMPTY' | 'BACKUP_KEY_FILE_NOT_FOUND' | 'BACKUP_DATABASE_INVALID' | 'BACKUP_DATABASE_UNREADABLE' | 'BACKUP_REGISTRY_INVALID' | 'BACKUP_MODEL_DAMAGED' | 'BACKUP_NOT_FOUND' | 'BACKUP_NOT_A_BACKUP' | 'BACKUP_FORMAT_TOO_NEW' | 'BACKUP_VERIFY_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}

const BackupFileSchema = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type BackupFile = z.infer<typeof BackupFileSchema>;

/** `backup.json`. Paths are relative to the backup folder, with `/`; `files` lists every file but backup.json itself. */
export const BackupManifestSchema = z.looseObject({
  format: z.literal('mailroute-backup'),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  /** When the backup started (the database's snapshot was taken just after). */
  createdAt: z.string(),
  durationMs: z.number(),
  mailrouteVersion: z.string(),
  /**
   * The git commit of the mailroute that made it (the full hash, `-dirty` when its tracked files had changed):
   * absent when it ran outside a git checkout, and in backups of a mailroute from before it was recorded.
   */
  mailrouteCommit: z.string().optional(),
  host: z.string(),
  /** The MAILROUTE_HOME backed up, as an absolute path. */
  home: z.string(),
  /** null: the home held no mailroute.db. */
  database: z
    .object({ file: z.literal(DB_FILE), userVersion: z.number().int(), rows: z.object({ predictions: z.number().int(), feedback: z.number().int() }) })
    .nullable(),
  /** null: the home held no registry. `models`: the model folders copied (every version not pruned). */
  registry: z.object({ versions: z.number().int(), champion: z.string().nullable(), models: z.array(z.string()) }).nullable(),
  /** The run folders copied (null: no runs/). */
  runs: z.array(z.string()).nullable(),
  /**
   * `from`: where the server read the key file on the host backed up (restore it into the new home, or where the new
   * server's --api-keys names); null: the home held no api-keys.json and no other key file was named.
   */
  apiKeys: z.object({ file: z.literal(API_KEYS_FILE), from: z.string() }).nullable(),
  files: z.array(BackupFileSchema),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export interface BackupOptions {
  home: string;
  /** The backup folder to create (absolute). */
  out: string;
  /** The API key file the server reads (absolute); `named`: given by --api-keys or MAILROUTE_API_KEYS_FILE, so it must exist. */
  apiKeys: { file: string; named: boolean };
  version: string;
  /** The commit of the mailroute that makes the backup, as backup.json records it; none outside a git checkout. */
  commit?: string;
  /** Aborted by Ctrl-C: the backup stops at its next file. */
  signal?: AbortSignal;
  /** What an operator should know that does not stop the backup (a model folder the index lists that is gone). */
  note?: (message: string) => void;
  progress?: (title: string) => Progress;
  /** Called with the unfinished folder once it exists (the command removes it at a second Ctrl-C). */
  onPartial?: (dir: string) => void;
}

const exists = (file: string) => stat(file).then(
  () => true,
  () => false,
);
const isDirectory = (file: string) => stat(file).then(
  (info) => info.isDirectory(),
  () => false,
);

/**
 * This host and its process-id namespace (a container has its own), 8 hex digits, in an unfinished backup's name: its
 * process id says whether it still runs only where the ids are this host's, so a backup another machine or container
 * writes into a shared folder is never taken for a killed one.
 */
export const BACKUP_HOST_TAG = createHash('sha256').update(`${hostname()}\n${PID_NAMESPACE}`).digest('hex').slice(0, 8);

/** `out`'s unfinished sibling: hidden, and named so no one takes it for a backup (it has no backup.json until the end either). */
function partialFolder(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.partial-${process.pid}-${randomBytes(4).toString('hex')}.${BACKUP_HOST_TAG}`);
}

/** The name of an unfinished backup folder (`partialFolder`): the backup's name, its process id, and its host's tag (none before the tag was added). */
const PARTIAL_NAME = /^\.(.+)\.partial-(\d+)-[0-9a-f]{8}(?:\.([0-9a-f]{8}))?$/;

/**
 * Removes the unfinished folders of backups beside `out` whose process is gone (killed, a crash), each a copy of the
 * database and models; one still being written is left. Any backup's made on this host (its tag), not only one to
 * `out`: backups named by the date never reuse a name, and each killed one would stay. Another host's or container's
 * (another tag) is left, as its process cannot be seen from here; one without a tag only when it is `out`'s. Returns
 * the names removed.
 */
async function removeAbandoned(out: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(path.dirname(out)).catch(() => [] as string[])) {
    const match = PARTIAL_NAME.exec(name);
    if (match === null) continue;
    const [, backup, pidText, tag] = match;
    const pid = Number(pidText);
    const ours = tag === BACKUP_HOST_TAG || (tag === undefined && backup === path.basename(out));
    if (!ours || !Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await rm(path.join(path.dirname(out), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed.sort();
}

/** A folder of the backup: mode 0700 whatever the umask (mkdir's mode is masked by it, chmod's is not). */
export async function makeFolder(dir: string): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  const handle = await open(dir, 'r');
  try {
    await handle.chmod(0o700);
  } finally {
    await handle.close();
  }
}

export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems take no fsync of a folder; the rename after it is what makes the backup whole.
  } finally {
    await handle.close();
  }
}

/**
 * The sha256 and size of a file, read in chunks. With `sync`, the file is fsynced too (a file SQLite wrote).
 * `onBytes`: told the bytes read so far after each chunk; `signal`: stops it between chunks.
 */
async function hashFile(file: string, sync = false, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const handle = await open(file, sync ? 'r+' : 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let bytes = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      onBytes?.(bytes);
    }
    if (sync) await handle.sync();
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Writes a new file of mode 0600 (whatever the umask) and runs `fill` on it; the file is fsynced. */
async function writeNewFile(file: string, fill: (handle: import('node:fs/promises').FileHandle) => Promise<void>): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await fill(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Copies `from` to the new file `to` (mode 0600), hashing what it writes. */
export async function copyHashed(from: string, to: string, onBytes: (n: number) => void, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const source = await open(from, 'r');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await writeNewFile(to, async (target) => {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        signal?.throwIfAborted();
        const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        await target.write(chunk);
        bytes += bytesRead;
        onBytes(bytesRead);
      }
    });
  } finally {
    await source.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** A file to copy: where it is, where it goes in the backup (relative, with `/`), its size when planned. */
interface PlannedFile {
  from: string;
  to: string;
  bytes: number;
}

/**
 * The files under `dir` to copy to `to`, sorted; names starting with `.` left out when `skipHidden` (the atomic
 * writes' temp files, the registry's staging folders). Links are followed (a link to a missing file fails the backup).
 */
async function planTree(dir: string, to: string, skipHidden: boolean, note: (message: string) => void): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (skipHidden && name.startsWith('.')) continue;
    const from = path.join(dir, name);
    const info = await stat(from);
    if (info.isDirectory()) planned.push(...(await planTree(from, `${to}/${name}`, skipHidden, note)));
    else if (info.isFile()) planned.push({ from, to: `${to}/${name}`, bytes: info.size });
    else note(`${from} is neither a file nor a folder: not backed up`);
  }
  return planned;
}

/** Makes `dir` and the folders above it up to `root` that this backup has not made yet (each mode 0700). */
async function makeFolders(root: string, dir: string, made: Set<string>): Promise<void> {
  if (dir === root || made.has(dir)) return;
  await makeFolders(root, path.dirname(dir), made);
  await makeFolder(dir);
  made.add(dir);
}

/** Copies planned files into `root`, making their folders; a progress bar for `title` when they are large. */
async function copyPlanned(root: string, planned: readonly PlannedFile[], title: string, options: BackupOptions, made: Set<string>): Promise<BackupFile[]> {
  const total = planned.reduce((sum, f) => sum + f.bytes, 0);
  const progress = total >= PROGRESS_BYTES ? options.progress?.(title) : undefined;
  let done = 0;
  const files: BackupFile[] = [];
  try {
    for (const file of planned) {
      options.signal?.throwIfAborted();
      const target = path.join(root, ...file.to.split('/'));
      await makeFolders(root, path.dirname(target), made);
      const copied = await copyHashed(file.from, target, (n) => {
        done += n;
        progress?.update(done, total);
      }, options.signal);
      files.push({ path: file.to, ...copied });
    }
  } finally {
    progress?.stop();
  }
  return files;
}

/**
 * The database, through SQLite: `VACUUM INTO` on a read-only connection reads one snapshot in one read transaction,
 * the WAL's commits included, while the server goes on writing (WAL readers never block its writer, nor it them).
 * Not `.backup`/`db.backup()`, which start over whenever another connection commits. The copy is checked
 * (integrity_check) and counted; it is in rollback-journal mode, so reading it leaves no -wal beside it. `progress`:
 * a stage each for the copy and the check, each one step (SQLite says nothing while they run).
 */
async function copyDatabase(source: string, target: string, progress?: (title: string) => Progress, signal?: AbortSignal): Promise<{ userVersion: number; rows: { predictions: number; feedback: number } }> {
  // Created first with mode 0600: SQLite keeps an existing empty file's mode (its own new file would be 0644 less the umask).
  await writeNewFile(target, async () => undefined);
  try {
    // `VACUUM INTO` holds this thread until the copy is whole, and says nothing while it runs.
    oneStep(progress?.('backup database copy'), () => snapshotSqlite(source, target));
  } catch (error) {
    // A database this user may not read (another user's home), or whose path SQLite cannot open, is not damaged.
    const unreadable = readFailureMessage(source, error, `Cannot back up the SQLite store at ${source}`);
    if (unreadable !== undefined) throw new BackupError('BACKUP_DATABASE_UNREADABLE', unreadable, { cause: error });
    throw new BackupError('BACKUP_DATABASE_INVALID', `${source}: cannot copy it through SQLite (${(error as Error).message})`, { cause: error });
  }
  // A Ctrl-C during the copy, heard once it is done, stops the backup before the copy is read.
  signal?.throwIfAborted();
  return checkDatabase(target, source, progress?.('backup database integrity_check'));
}

/** Work that says nothing while it runs, shown as one step of `progress` (if any): begun, then done. */
function oneStep<T>(progress: Progress | undefined, run: () => T): T {
  try {
    progress?.update(0, 1);
    const result = run();
    progress?.update(1, 1);
    return result;
  } finally {
    progress?.stop();
  }
}

/**
 * integrity_check, the data version and the row counts of a database file (a backup's copy); `shown` names it in
 * errors. `progress`: the check as one step (SQLite says nothing while it runs), begun and then done.
 */
function checkDatabase(file: string, shown: string, progress?: Progress): { userVersion: number; rows: { predictions: number; feedback: number } } {
  let facts: SqliteSnapshotFacts;
  try {
    facts = oneStep(progress, () => sqliteSnapshotFacts(file));
  } catch (error) {
    throw new BackupError('BACKUP_DATABASE_INVALID', `${shown}: not a mailroute database SQLite can read (${(error as Error).message})`, { cause: error });
  }
  const check = facts.integrity;
  if (check.length !== 1 || check[0] !== 'ok') throw new BackupError('BACKUP_DATABASE_INVALID', `${shown}: SQLite's integrity_check failed: ${check.slice(0, 3).join('; ')}`);
  return { userVersion: facts.userVersion, rows: facts.rows };
}

/**
 * Whether a database that no longer matches backup.json is still one SQLite reads whole, for the person who has no
 * other backup: its integrity_check and rows against those recorded, or what SQLite finds wrong.
 */
function changedDatabaseNote(file: string, recorded: { predictions: number; feedback: number }): string {
  try {
    const facts = checkDatabase(file, DB_FILE);
    return `${DB_FILE} is not as backed up, but SQLite reads it whole (integrity_check ok): ${plural(facts.rows.predictions, 'prediction')} and ${facts.rows.feedback} feedback, backup.json recorded ${recorded.predictions} and ${recorded.feedback}; with no other backup, a copy of it may still be worth restoring by hand`;
  } catch (error) {
    return `${DB_FILE} is not as backed up, and is damaged: ${(error as Error).message.replace(`${DB_FILE}: `, '')}`;
  }
}

/** The bytes of a file, 0 when there is none. */
const sizeOf = (file: string) => stat(file).then(
  (info) => info.size,
  () => 0,
);

/** What the backup checks a registered version's copy against: its status, the champion or not, its manifest's sha256 as registered. */
interface IndexedModel {
  status: string;
  champion: boolean;
  manifestSha256?: string;
}

/** The registry's index, checked as the registry checks it; `shown` names the file in errors. */
function parseIndex(text: string, shown: string): { versions: number; champion: string | null; models: string[]; indexed: Map<string, IndexedModel> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupError('BACKUP_REGISTRY_INVALID', `${shown}: not JSON (${(error as Error).message}); mailroute registry list fails on it too: fix or restore it first`);
  }
  const parsed = RegistryIndexSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupError('BACKUP_REGISTRY_INVALID', `${shown}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}; mailroute registry list fails on it too: fix or restore it first`);
  }
  const { versions, champion } = parsed.data;
  // A pruned version keeps its record, not its folder (prune removes the folder after marking it, outside the lock).
  const kept = versions.filter((v) => v.prunedAt === undefined);
  const indexed = new Map(kept.map((v) => [v.id, { status: v.status, champion: v.id === champion, ...(v.manifestSha256 === undefined ? {} : { manifestSha256: v.manifestSha256 }) }]));
  return { versions: versions.length, champion, models: kept.map((v) => v.id), indexed };
}

/** A version a restore must be able to serve (the champion, an Approved one a rollback or `registry champion` may go to). */
const mustServe = (v: IndexedModel | undefined): boolean => v !== undefined && (v.champion || v.status === 'Approved');

/** What a version is, as the backup says it: `the champion`, `Approved`, `Rejected`, ... */
const standing = (v: IndexedModel | undefined): string => (v === undefined ? 'not in registry.json' : v.champion ? 'the champion' : v.status);

/** How a version is named in what the backup says: `<id> (the champion)`, `<id> (Approved)`. */
const described = (id: string, v: IndexedModel | undefined): string => `${id} (${standing(v)})`;

/**
 * What is wrong with a model folder's files against its manifest.json, as the registry checks a version before it
 * serves (`registry champion`, a server's load): manifest.json there and, when registry.json records its sha256, the
 * one registered; every file it lists (`files`) there with that sha256. `hashes`: the sha256 of each file in the
 * folder, by name (what the backup hashed as it copied it, or `--verify` as it read it); `manifest`: manifest.json's
 * text. An empty list when the folder is whole.
 */
export function modelFolderProblems(hashes: ReadonlyMap<string, string>, manifest: string | undefined, registeredSha256?: string): string[] {
  const own = hashes.get('manifest.json');
  if (own === undefined || manifest === undefined) return ['manifest.json is missing'];
  const problems: string[] = [];
  if (registeredSha256 !== undefined && own !== registeredSha256) problems.push('manifest.json was changed after registration (its sha256 is not the one registry.json records)');
  let files: unknown;
  try {
    files = (JSON.parse(manifest) as { files?: unknown }).files;
  } catch (error) {
    return [...problems, `manifest.json is not JSON (${(error as Error).message})`];
  }
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return [...problems, 'manifest.json lists no file sha256s (`files`)'];
  for (const [name, expected] of Object.entries(files as Record<string, unknown>)) {
    const found = hashes.get(name);
    if (found === undefined) problems.push(`${name} is missing (manifest.json lists it)`);
    else if (found !== expected) problems.push(`${name} does not match its sha256 in manifest.json (changed since registration)`);
  }
  return problems;
}

/** The sha256 of each file of `models/<id>/` among `files` (paths relative to the backup), by name; files in subfolders are left out. */
function folderHashes(id: string, files: readonly { path: string; sha256: string }[]): Map<string, string> {
  const prefix = `models/${id}/`;
  return new Map(files.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/')).map((f) => [f.path.slice(prefix.length), f.sha256]));
}

/** Copies one model folder; undefined when it went away meanwhile (pruned, moved aside), its partial copy removed. */
async function copyModel(root: string, modelsDir: string, id: string, options: BackupOptions, made: Set<string>, note: (m: string) => void): Promise<BackupFile[] | undefined> {
  try {
    return await copyPlanned(root, await planTree(path.join(modelsDir, id), `models/${id}`, false, note), 'backup models', options, made);
  } catch (error) {
    if (systemCode(error) !== 'ENOENT' || (error as NodeJS.ErrnoException).path?.startsWith(root)) throw error;
    await dropModel(root, id, made);
    return undefined;
  }
}

/** Removes a model's copy from the backup, and its folders from those made. */
async function dropModel(root: string, id: string, made: Set<string>): Promise<void> {
  const target = path.join(root, 'models', id);
  await rm(target, { recursive: true, force: true });
  for (const dir of made) if (dir === target || dir.startsWith(`${target}${path.sep}`)) made.delete(dir);
}

/**
 * `registry.json` and the model folders it lists, consistent with each other. A registered model's folder is never
 * changed after its registration renames it into models/ (an id is never registered twice, a pruned one included), so
 * the folders are copied first without the lock, then `registry.json` holding the registry's lock (`withFileLock`,
 * which every registry write holds): a registration renames its folder in and then lists it, a prune marks versions
 * pruned and then removes their folders, a writer's first step moves aside folders no entry lists. Under the lock, the
 * folders the copied index lists that were not copied yet (registered meanwhile) are copied, and copies of folders it
 * no longer lists (pruned meanwhile) are dropped. So the lock is held for the index and the few models that changed:
 * another registry write (`registry approve` waits 15 s for it) is not held up by the copy of every model.
 */
async function copyRegistry(home: string, root: string, options: BackupOptions, made: Set<string>, note: (m: string) => void): Promise<{ summary: BackupManifest['registry']; files: BackupFile[] }> {
  const indexFile = path.join(home, 'registry.json');
  const modelsDir = path.join(home, 'models');
  if (!(await exists(indexFile)) && !(await isDirectory(modelsDir))) return { summary: null, files: [] };
  const copied = new Map<string, BackupFile[]>();
  const before = await readFile(indexFile, 'utf8').catch(() => undefined);
  if (before !== undefined) {
    for (const id of parseIndex(before, indexFile).models) {
      if (!(await isDirectory(path.join(modelsDir, id)))) continue; // said under the lock, if it is still so
      const files = await copyModel(root, modelsDir, id, options, made, note);
      if (files !== undefined) copied.set(id, files);
    }
  }
  return withFileLock(
    path.join(home, REGISTRY_LOCK_FILE),
    async () => {
      const files: BackupFile[] = [];
      let summary: { versions: number; champion: string | null; models: string[]; indexed?: Map<string, IndexedModel> };
      if (await exists(indexFile)) {
        files.push(...(await copyPlanned(root, [{ from: indexFile, to: 'registry.json', bytes: 0 }], 'backup registry', options, made)));
        // The copy is read, not the file: what the backup lists is what it holds.
        summary = parseIndex(await readFile(path.join(root, 'registry.json'), 'utf8'), indexFile);
      } else {
        // An index lost beside its models (the registry refuses it: REGISTRY_INDEX_MISSING): the models are kept all the same.
        summary = { versions: 0, champion: null, models: (await readdir(modelsDir)).filter((name) => !name.startsWith('.')).sort() };
        note(`${indexFile} is missing: every folder in models/ is backed up, and the registry needs its index restored (mailroute registry list says so)`);
      }
      const listed = new Set(summary.models);
      for (const id of copied.keys()) {
        if (listed.has(id)) continue;
        await dropModel(root, id, made);
        copied.delete(id);
      }
      const models: string[] = [];
      // Versions a restore could not serve: the champion or an Approved version whose folder is gone or not as its manifest says.
      const damaged: string[] = [];
      for (const id of summary.models) {
        const v = summary.indexed?.get(id);
        const files = copied.get(id) ?? ((await isDirectory(path.join(modelsDir, id))) ? await copyModel(root, modelsDir, id, options, made, note) : undefined);
        if (files === undefined) {
          if (mustServe(v)) damaged.push(`${described(id, v)}: its folder ${path.join(modelsDir, id)} is missing`);
          else note(`models/${id} is missing though registry.json lists it (not pruned): not in the backup`);
          continue;
        }
        copied.set(id, files);
        models.push(id);
        // Checked against its manifest with the sha256 the copy computed; the manifest read from the copy.
        const manifest = await readFile(path.join(root, 'models', id, 'manifest.json'), 'utf8').catch(() => undefined);
        const problems = modelFolderProblems(folderHashes(id, files), manifest, v?.manifestSha256);
        if (problems.length === 0) continue;
        if (mustServe(v)) damaged.push(`${described(id, v)}: ${problems.join('; ')} in ${path.join(modelsDir, id)}`);
        else note(`models/${id} (${standing(v)}) is not whole: ${problems.join('; ')}; backed up as it is (\`registry approve\` and \`registry champion\` refuse it until its folder is whole again)`);
      }
      if (damaged.length > 0) throw damagedModelsError(damaged, options.out);
      for (const id of models) files.push(...(copied.get(id) ?? []));
      const aside = (await readdir(modelsDir).catch(() => [] as string[])).filter((name) => name.startsWith('.unlisted-'));
      if (aside.length > 0) note(`models/ holds ${aside.length} folder(s) the registry moved aside (${aside.slice(0, 2).join(', ')}${aside.length > 2 ? ', ...' : ''}): not backed up; copy them by hand if they are needed`);
      return { summary: { versions: summary.versions, champion: summary.champion, models }, files };
    },
    { timeoutMs: LOCK_WAIT_MS, heldBy: 'the registry is being written by another mailroute command (a train registering, an approval, a prune) for longer than the backup waits' },
  );
}

/** BACKUP_MODEL_DAMAGED: versions a restore of this backup could not serve, each with what is wrong, and what to do. */
function damagedModelsError(damaged: readonly string[], out: string): BackupError {
  const named = damaged.slice(0, 3).join('; ') + (damaged.length > 3 ? `; and ${damaged.length - 3} more` : '');
  return new BackupError(
    'BACKUP_MODEL_DAMAGED',
    `${plural(damaged.length, 'model')} the registry may serve ${damaged.length > 1 ? 'are' : 'is'} not whole: ${named}. No server could load ${damaged.length > 1 ? 'them' : 'it'} from a restore of this backup. ` +
      `Copy an intact copy of ${damaged.length > 1 ? 'each folder' : 'the folder'} back where it is named (an earlier backup's models/<id>: \`mailroute backup --verify <backup>\` checks it), ` +
      'or, if the version must not serve, reject it (`mailroute registry reject <id> --note <why>`; for the champion this rolls back to an earlier one); then back up again. ' +
      `Nothing was written to ${out}`,
  );
}

/** Makes the backup of `options.home` in `options.out` (which must not exist, or be an empty folder); returns its manifest. */
export async function createBackup(options: BackupOptions): Promise<BackupManifest> {
  const started = Date.now();
  const { home, out } = options;
  const note = options.note ?? (() => undefined);
  const dbFile = path.join(home, DB_FILE);
  const runsDir = path.join(home, 'runs');
  const hasDb = await exists(dbFile);
  const hasRuns = await isDirectory(runsDir);
  const keys = await stat(options.apiKeys.file).catch(() => undefined);
  const hasKeys = keys !== undefined;
  if (keys !== undefined && !keys.isFile()) throw new BackupError('BACKUP_KEY_FILE_NOT_FOUND', `API key file ${options.apiKeys.file} is not a file: name the key file itself`);
  if (options.apiKeys.named && !hasKeys) {
    throw new BackupError('BACKUP_KEY_FILE_NOT_FOUND', `API key file ${options.apiKeys.file} (--api-keys or MAILROUTE_API_KEYS_FILE) does not exist: name the file the server reads, or leave both unset for <home>/${API_KEYS_FILE}`);
  }
  if (!hasDb && !hasRuns && !hasKeys && !(await exists(path.join(home, 'registry.json'))) && !(await isDirectory(path.join(home, 'models')))) {
    throw new BackupError('BACKUP_HOME_EMPTY', `${home} holds no mailroute data (no ${DB_FILE}, registry.json, models/, runs/ or ${API_KEYS_FILE}): set MAILROUTE_HOME (or --home) to the folder the server runs with`);
  }

  const abandoned = await removeAbandoned(out);
  if (abandoned.length > 0) note(`removed ${plural(abandoned.length, 'unfinished backup folder')} of backups that were stopped (their process is gone): ${abandoned.join(', ')}`);
  const root = partialFolder(out);
  const made = new Set<string>([root]);
  await makeFolder(root);
  options.onPartial?.(root);
  try {
    const files: BackupFile[] = [];
    // The database first, then the registry: a model the snapshot's predictions name is in the registry copied after
    // (unless pruned), as the registry only grows between the two.
    let database: BackupManifest['database'] = null;
    if (hasDb) {
      options.signal?.throwIfAborted();
      const target = path.join(root, DB_FILE);
      // Its progress by the database's size, its WAL's commits included.
      const progress = (await sizeOf(dbFile)) + (await sizeOf(`${dbFile}-wal`)) >= PROGRESS_BYTES ? options.progress : undefined;
      const facts = await copyDatabase(dbFile, target, progress, options.signal);
      options.signal?.throwIfAborted();
      const hashing = progress?.('backup database sha256');
      try {
        const size = hashing === undefined ? 0 : await sizeOf(target);
        files.push({ path: DB_FILE, ...(await hashFile(target, true, hashing && ((n) => hashing.update(n, size)), options.signal)) });
      } finally {
        hashing?.stop();
      }
      database = { file: DB_FILE, ...facts };
    }
    const registry = await copyRegistry(home, root, options, made, note);
    files.push(...registry.files);
    // Runs are written without the registry's lock (run.json replaced whole, epochs.jsonl appended): a training that
    // runs meanwhile is copied as it stood, its run `running`.
    let runs: string[] | null = null;
    if (hasRuns) {
      const names = (await readdir(runsDir)).filter((name) => !name.startsWith('.')).sort();
      const planned: PlannedFile[] = [];
      runs = [];
      for (const name of names) {
        const from = path.join(runsDir, name);
        if ((await stat(from)).isDirectory()) {
          planned.push(...(await planTree(from, `runs/${name}`, true, note)));
          runs.push(name);
        }
      }
      await makeFolder(path.join(root, 'runs'));
      made.add(path.join(root, 'runs'));
      files.push(...(await copyPlanned(root, planned, 'backup runs', options, made)));
    }
    let apiKeys: BackupManifest['apiKeys'] = null;
    if (hasKeys) {
      files.push(...(await copyPlanned(root, [{ from: options.apiKeys.file, to: API_KEYS_FILE, bytes: 0 }], 'backup keys', options, made)));
      apiKeys = { file: API_KEYS_FILE, from: options.apiKeys.file };
    }
    options.signal?.throwIfAborted();
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const manifest: BackupManifest = {
      format: 'mailroute-backup',
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: new Date(started).toISOString(),
      durationMs: 0,
      mailrouteVersion: options.version,
      ...(options.commit === undefined ? {} : { mailrouteCommit: options.commit }),
      host: hostname(),
      home,
      database,
      registry: registry.summary,
      runs,
      apiKeys,
      files,
    };
    manifest.durationMs = Date.now() - started;
    await writeNewFile(path.join(root, MANIFEST_FILE), async (handle) => void (await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`)));
    for (const dir of made) await syncFolder(dir);
    options.signal?.throwIfAborted();
    try {
      // Replaces an empty folder `out` (checked before), never a non-empty one (ENOTEMPTY).
      await rename(root, out);
    } catch (error) {
      const code = systemCode(error);
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new OutputPathError(`--out ${out}: files appeared in it while the backup was made; nothing was written to it`);
      throw error;
    }
    await syncFolder(path.dirname(out));
    return manifest;
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Refuses an `--out` that exists and is not an empty folder, or lies where the backup copies from; makes its parent. */
async function prepareBackupFolder(cwd: string, out: string, home: string): Promise<string> {
  refuseStandardOutput(out, 'dir');
  const full = path.resolve(cwd, out);
  // A link to a folder is that folder (written through), not "not a folder".
  const info = await stat(full).catch(() => lstat(full).catch(() => undefined));
  if (info !== undefined) {
    if (!info.isDirectory()) throw new OutputPathError(`--out ${out} exists and is not a folder: name a new folder for the backup`);
    if ((await readdir(full)).length > 0) {
      throw new OutputPathError(`--out ${out} exists and is not empty: a backup goes into a new (or empty) folder, such as --out ${path.join(path.dirname(out), `mailroute-${new Date().toISOString().slice(0, 10)}`)}`);
    }
  }
  // Links followed, in folders not there yet too: a link to the home, then models/b, is the home's models/b.
  const [target, realHome] = [await realPathOfNew(full), await realPathOfNew(path.resolve(home))];
  // Elsewhere in the home is fine (the backup copies only its database, registry, runs and key file).
  const inside = target === realHome ? realHome : placeOf(target, [path.join(realHome, 'models'), path.join(realHome, 'runs')]);
  if (inside !== undefined) throw new UsageError(`--out ${out} is ${target === inside ? '' : 'in '}${inside}, which the backup copies: choose a folder outside it`);
  // Its parent is made (and probed) as other commands make --out's folder; said of --out as given.
  const parent = path.dirname(out);
  await prepareOutput(cwd, parent, 'dir').catch((error: unknown) => {
    if (error instanceof OutputPathError && error.message.startsWith(`--out ${parent}`)) throw new OutputPathError(`--out ${out}${error.message.slice(`--out ${parent}`.length)}`);
    throw error;
  });
  return full;
}

/** The home to back up: --home (relative to the command's folder), else MAILROUTE_HOME; it must be a folder. */
async function homeToBackUp(ctx: CliContext, given: string | undefined): Promise<string> {
  const home = given === undefined ? ctx.home : path.resolve(ctx.cwd, given);
  const info = await stat(home).catch((error: unknown) => {
    const code = systemCode(error);
    throw new BackupError('BACKUP_HOME_NOT_FOUND', `${given === undefined ? 'MAILROUTE_HOME=' : '--home '}${home} ${code === 'ENOENT' ? 'does not exist' : `cannot be read: ${errorCodeInWords(code ?? 'error')}`}: point it at the folder the server runs with`);
  });
  if (!info.isDirectory()) throw new BackupError('BACKUP_HOME_NOT_FOUND', `${given === undefined ? 'MAILROUTE_HOME=' : '--home '}${home} is a file, not a folder: point it at the folder the server runs with`);
  return home;
}

/** What `backup` prints: each part with its size, and how to check it. */
export function backupReport(manifest: BackupManifest, out: string): string {
  const sum = (prefix: string) => manifest.files.filter((f) => f.path === prefix || f.path.startsWith(`${prefix}/`));
  const bytes = (files: readonly BackupFile[]) => files.reduce((s, f) => s + f.bytes, 0);
  const rows: [string, string, string][] = [];
  const db = manifest.database;
  rows.push(
    db === null
      ? [DB_FILE, '-', `none in the home: no server has recorded predictions there`]
      : [DB_FILE, formatBytes(bytes(sum(DB_FILE))), `${plural(db.rows.predictions, 'prediction')}, ${db.rows.feedback} feedback (one snapshot; integrity_check ok)`],
  );
  const reg = manifest.registry;
  if (reg === null) rows.push(['registry.json', '-', 'none in the home: no model registered there']);
  else {
    const index = sum('registry.json');
    if (index.length > 0) rows.push(['registry.json', formatBytes(bytes(index)), `${plural(reg.versions, 'version')}, champion ${reg.champion ?? 'none'}`]);
    const models = sum('models');
    rows.push(['models/', formatBytes(bytes(models)), `${plural(reg.models.length, 'model')}, ${plural(models.length, 'file')}`]);
  }
  if (manifest.runs !== null) {
    const runs = sum('runs');
    rows.push(['runs/', formatBytes(bytes(runs)), `${plural(manifest.runs.length, 'run')}, ${plural(runs.length, 'file')}`]);
  }
  rows.push(
    manifest.apiKeys === null
      ? [API_KEYS_FILE, '-', 'none in the home (a server started with --api-keys <file> keeps its keys in that file, which this backup does not hold: back it up with --api-keys <file>)']
      : [API_KEYS_FILE, formatBytes(bytes(sum(API_KEYS_FILE))), `from ${manifest.apiKeys.from}`],
  );
  rows.push([MANIFEST_FILE, '', 'sizes and sha256 of the files above, row counts']);
  const width = Math.max(...rows.map((r) => r[0].length));
  const sizeWidth = Math.max(...rows.map((r) => r[1].length));
  return [
    `backed up ${manifest.home} to ${out} in ${formatSeconds(manifest.durationMs / 1000)} s (${plural(manifest.files.length, 'file')}, ${formatBytes(bytes(manifest.files))}, and ${MANIFEST_FILE}):`,
    ...rows.map(([name, size, what]) => `  ${name.padEnd(width)}  ${size.padStart(sizeWidth)}  ${what}`.trimEnd()),
    `check it: mailroute backup --verify ${out}`,
    '',
  ].join('\n');
}

export interface VerifyResult {
  dir: string;
  ok: boolean;
  /** What does not match backup.json: a file missing, changed or not listed, the database failing its checks. */
  problems: string[];
  /** What is no problem for the backup but may be for its reader (a file readable by other users). */
  notes: string[];
  files: number;
  bytes: number;
  manifest: BackupManifest;
  /** The model folders whose files match their manifest.json. */
  models: number;
  /** Of `problems`, those of a model the registry may serve (the champion, an Approved one) against its manifest.json, or missing. */
  modelProblems: number;
}

/** The files under `dir`, relative with `/`. */
async function filesIn(dir: string, rel = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesIn(dir, name)));
    else found.push(name);
  }
  return found;
}

/**
 * Checks a backup against its backup.json: every file's size and sha256, no file more, and the database's integrity,
 * data version and row counts. `progress`: a stage for the files' reading (their bytes, as backup.json gives them) and
 * one for the database's check (one step), each of PROGRESS_BYTES or more.
 */
export async function verifyBackup(dir: string, options: { progress?: (title: string) => Progress } = {}): Promise<VerifyResult> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw new BackupError('BACKUP_NOT_FOUND', `${dir} ${info === undefined ? 'does not exist' : 'is not a folder'}: name the folder mailroute backup --out wrote`);
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    const code = systemCode(error);
    throw new BackupError(
      'BACKUP_NOT_A_BACKUP',
      code === 'ENOENT'
        ? `${dir} has no ${MANIFEST_FILE}: not a mailroute backup (an unfinished one is never under its name: it is removed when it fails, or by the next backup beside it when its process was killed)`
        : `${path.join(dir, MANIFEST_FILE)} cannot be read: ${errorCodeInWords(code ?? 'error')}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupError('BACKUP_NOT_A_BACKUP', `${path.join(dir, MANIFEST_FILE)}: not JSON (${(error as Error).message})`);
  }
  // A newer mailroute's format: said so, not taken for no backup at all.
  const { format, formatVersion, mailrouteVersion } = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (format === 'mailroute-backup' && typeof formatVersion === 'number' && formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'BACKUP_FORMAT_TOO_NEW',
      `${path.join(dir, MANIFEST_FILE)}: made by a newer mailroute (${typeof mailrouteVersion === 'string' ? `${mailrouteVersion}; ` : ''}backup format version ${formatVersion}, this one reads ${BACKUP_FORMAT_VERSION}): verify and restore it with that version or later`,
    );
  }
  const parsed = BackupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupError('BACKUP_NOT_A_BACKUP', `${path.join(dir, MANIFEST_FILE)}: not a mailroute backup manifest (${issue?.path.join('.') || '(root)'}: ${issue?.message})`);
  }
  const manifest = parsed.data;
  const problems: string[] = [];
  const notes: string[] = [];
  const listed = new Set<string>();
  // The sha256 of each file as read, to check each model's files against its manifest.json.
  const read: { path: string; sha256: string }[] = [];
  let bytes = 0;
  const toRead = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  const reading = toRead >= PROGRESS_BYTES ? options.progress?.('backup verify sha256') : undefined;
  try {
    for (const file of manifest.files) {
      listed.add(file.path);
      const parts = file.path.split('/');
      if (parts.some((p) => p === '' || p === '.' || p === '..') || path.isAbsolute(file.path)) {
        problems.push(`${file.path}: not a path inside the backup`);
        continue;
      }
      const full = path.join(dir, ...parts);
      // Not followed: a link to a file elsewhere passed as whole, and the backup held only the link.
      const at = await lstat(full).catch(() => undefined);
      if (at?.isSymbolicLink() === true) {
        problems.push(`${file.path}: a link (to ${await readlink(full).catch(() => '?')}), not the file itself: the backup must hold its files`);
        continue;
      }
      if (at === undefined || !at.isFile()) {
        problems.push(`${file.path}: missing`);
        continue;
      }
      if ((at.mode & 0o077) !== 0) notes.push(`${file.path} has mode ${(at.mode & 0o777).toString(8)}: other users may read it (chmod 600)`);
      const before = bytes;
      const found = await hashFile(full, false, reading && ((n) => reading.update(Math.min(before + n, toRead), toRead)));
      bytes += found.bytes;
      read.push({ path: file.path, sha256: found.sha256 });
      if (found.bytes !== file.bytes) problems.push(`${file.path}: ${found.bytes} bytes, backup.json says ${file.bytes}`);
      else if (found.sha256 !== file.sha256) problems.push(`${file.path}: its sha256 differs from backup.json's (changed since the backup)`);
    }
  } finally {
    reading?.stop();
  }
  for (const name of (await filesIn(dir)).sort()) {
    if (name !== MANIFEST_FILE && !listed.has(name)) problems.push(`${name}: not listed in backup.json`);
  }
  const before = problems.length;
  const models = await checkModelFolders(dir, manifest, read, problems, notes);
  const modelProblems = problems.length - before;
  const db = manifest.database;
  if (db !== null && listed.has(DB_FILE) && !problems.some((p) => p.startsWith(`${DB_FILE}:`))) {
    try {
      const file = path.join(dir, DB_FILE);
      const facts = checkDatabase(file, DB_FILE, (await sizeOf(file)) >= PROGRESS_BYTES ? options.progress?.('backup verify integrity_check') : undefined);
      if (facts.userVersion !== db.userVersion) problems.push(`${DB_FILE}: data version ${facts.userVersion}, backup.json says ${db.userVersion}`);
      if (facts.userVersion > STORE_SCHEMA_VERSION) {
        problems.push(`${DB_FILE}: data version ${facts.userVersion}, made by a newer mailroute (this one reads up to ${STORE_SCHEMA_VERSION}): restore it with that version or later`);
      } else if (facts.userVersion < STORE_SCHEMA_VERSION) {
        notes.push(`${DB_FILE} has data version ${facts.userVersion}, older than this mailroute's ${STORE_SCHEMA_VERSION}: serve brings it up to date on open, keeping a copy of it as it was`);
      }
      if (facts.rows.predictions !== db.rows.predictions || facts.rows.feedback !== db.rows.feedback) {
        problems.push(`${DB_FILE}: ${facts.rows.predictions} predictions and ${facts.rows.feedback} feedback, backup.json says ${db.rows.predictions} and ${db.rows.feedback}`);
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  } else if (db !== null && !listed.has(DB_FILE)) problems.push(`backup.json names a database but lists no ${DB_FILE}`);
  else if (db !== null && read.some((f) => f.path === DB_FILE)) notes.push(changedDatabaseNote(path.join(dir, DB_FILE), db.rows));
  return { dir, ok: problems.length === 0, problems, notes, files: manifest.files.length, bytes, manifest, models, modelProblems };
}

/**
 * Checks each model folder of a backup against its manifest.json (`modelFolderProblems`), with the sha256 of its files
 * as `verifyBackup` read them (`read`), and that the champion and every Approved version registry.json lists (not
 * pruned) is in it: a backup whose files all match backup.json may still hold a champion no server can load (copied
 * so). What is wrong with those goes to `problems`; with a Rejected or pending version, to `notes`. A folder with a
 * file that does not match backup.json is left out: that problem is said already. Returns how many folders matched.
 */
async function checkModelFolders(dir: string, manifest: BackupManifest, read: readonly { path: string; sha256: string }[], problems: string[], notes: string[]): Promise<number> {
  const registry = manifest.registry;
  if (registry === null) return 0;
  let indexed: Map<string, IndexedModel> | undefined;
  if (read.some((f) => f.path === 'registry.json')) {
    try {
      indexed = parseIndex(await readFile(path.join(dir, 'registry.json'), 'utf8'), 'registry.json').indexed;
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const held = new Set(registry.models);
  for (const [id, v] of indexed ?? []) {
    if (!held.has(id) && mustServe(v)) problems.push(`models/${id}: not in the backup, though registry.json lists it as ${standing(v)} (its folder was missing when the backup was made): a restore could not serve it`);
  }
  let whole = 0;
  for (const id of registry.models) {
    if (problems.some((p) => p.startsWith(`models/${id}/`))) continue;
    const v = indexed?.get(id);
    const text = await readFile(path.join(dir, 'models', id, 'manifest.json'), 'utf8').catch(() => undefined);
    const found = modelFolderProblems(folderHashes(id, read), text, v?.manifestSha256);
    if (found.length === 0) whole++;
    else if (mustServe(v)) problems.push(`models/${id} (${standing(v)}): ${found.join('; ')}: a restore could not serve it`);
    else notes.push(`models/${id} (${standing(v)}) is not whole: ${found.join('; ')}`);
  }
  return whole;
}

/** What `backup --verify` prints when the backup is whole. */
export function verifyReport(result: VerifyResult): string {
  const { manifest } = result;
  const db = manifest.database;
  return [
    `backup ${result.dir} is whole: ${plural(result.files, 'file')} (${formatBytes(result.bytes)}) match the sizes and sha256 of ${MANIFEST_FILE}`,
    db === null ? `  no database in it (the home had no ${DB_FILE})` : `  ${DB_FILE}: integrity_check ok; ${plural(db.rows.predictions, 'prediction')} and ${db.rows.feedback} feedback, as recorded`,
    ...(manifest.registry === null || manifest.registry.models.length === 0 ? [] : [`  models/: ${result.models} of ${plural(manifest.registry.models.length, 'model folder')} match their manifest.json (every file it lists, with its sha256)`]),
    `  made ${manifest.createdAt} of ${manifest.home} on ${manifest.host} by mailroute ${manifest.mailrouteVersion}${manifest.mailrouteCommit === undefined ? '' : ` (commit ${manifest.mailrouteCommit})`}`,
    '',
  ].join('\n');
}

/** The mailroute that makes a backup, as backup.json records it. */
function builtBy(): { version: string; commit?: string } {
  const build = buildVersion();
  const commit = commitText(build);
  return { version: build.version, ...(commit === undefined ? {} : { commit }) };
}

interface BackupFlags {
  out?: string;
  verify?: string;
  home?: string;
  apiKeys?: string;
  json?: boolean;
}

/** `mailroute backup --out <dir> [--home dir] [--api-keys file] [--json]`, `mailroute backup --verify <dir> [--json]`. */
export function registerBackup(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description(
      `Back up MAILROUTE_HOME while mailroute serve runs: ${DB_FILE} (one SQLite snapshot), the registry (registry.json, models/, under its lock), runs/ and the API key file, into a new folder (mode 0700, files 0600) with ${MANIFEST_FILE} (sizes, sha256, row counts); --verify checks one`,
    )
    .option('--out <dir>', 'the backup folder to create; it must not exist, or be empty (a failed backup leaves nothing there)')
    .option('--verify <dir>', `check a backup instead: every file against ${MANIFEST_FILE}'s size and sha256, each model folder against its manifest.json, and the database's integrity_check, data version and row counts`)
    .option('--home <dir>', 'the home to back up (env MAILROUTE_HOME)')
    .option('--api-keys <file>', `the API key file the server reads (env MAILROUTE_API_KEYS_FILE; default <home>/${API_KEYS_FILE}), saved as ${API_KEYS_FILE}`)
    .option('--json', `print ${MANIFEST_FILE} (with --verify: the check's result) as JSON`)
    .action(async (flags: BackupFlags) => {
      if (flags.verify !== undefined) {
        if (flags.out !== undefined) throw new UsageError('--out and --verify go apart: --out makes a backup, --verify checks one');
        for (const [given, name] of [[flags.home, '--home'], [flags.apiKeys, '--api-keys']] as const) {
          if (given !== undefined) throw new UsageError(`${name} goes with --out: --verify reads the backup alone`);
        }
        refuseStandardOutput(flags.verify, 'dir', '--verify');
        const dir = path.resolve(ctx.cwd, flags.verify);
        const result = await verifyBackup(dir, { progress: (title) => createProgress(ctx, title) });
        for (const n of result.notes) ctx.stderr.write(safeLines(`note: ${n}\n`));
        if (flags.json) await writeStdout(ctx.stdout, `${safeJson({ ok: result.ok, problems: result.problems, notes: result.notes, files: result.files, bytes: result.bytes, manifest: result.manifest })}\n`);
        if (!result.ok) {
          // Its files may all match backup.json and a model still not be whole (copied so): said as such.
          const heading = result.modelProblems === result.problems.length ? `holds ${plural(result.modelProblems, 'model')} the registry may serve that ${result.modelProblems > 1 ? 'are' : 'is'} not whole (its files match ${MANIFEST_FILE})` : `does not match its ${MANIFEST_FILE}`;
          if (!flags.json) await writeStdout(ctx.stdout, safeLines(`backup ${dir} ${heading}:\n${result.problems.map((p) => `  ${p}\n`).join('')}`));
          const shown = result.problems.slice(0, 2).join('; ');
          throw new BackupError('BACKUP_VERIFY_FAILED', `${dir}: ${plural(result.problems.length, 'problem')}: ${shown}${result.problems.length > 2 ? `; and ${result.problems.length - 2} more` : ''}`);
        }
        if (!flags.json) await writeStdout(ctx.stdout, safeLines(verifyReport(result)));
        return;
      }
      if (flags.out === undefined) throw new UsageError('give --out <dir> to make a backup, or --verify <dir> to check one');
      const home = await homeToBackUp(ctx, flags.home);
      // Named as serve reads it: --api-keys, else MAILROUTE_API_KEYS_FILE, else the home's file.
      const named = namedKeyFile(ctx, flags);
      const apiKeys = named === undefined ? { file: path.join(home, API_KEYS_FILE), named: false } : { file: named, named: true };
      const out = await prepareBackupFolder(ctx.cwd, flags.out, home);
      let partial: string | undefined;
      const interrupt = twoStepInterrupt(ctx, {
        stopping: (signal) => `stopping (${signal} again quits at once)`,
        quitting: `quitting now; no backup was written to ${flags.out}`,
        again: () => {
          if (partial !== undefined) rmSync(partial, { recursive: true, force: true });
        },
        reason: new InterruptedError(`interrupted: no backup was written to ${flags.out}`),
        // Once the backup is whole, a Ctrl-C must not end the command with 130, saying that none was made.
        quietAfter: true,
      });
      let manifest: BackupManifest;
      try {
        manifest = await createBackup({
          home,
          out,
          apiKeys,
          ...builtBy(),
          signal: interrupt.signal,
          note: (message) => ctx.stderr.write(safeLines(`note: ${message}\n`)),
          progress: (title) => createProgress(ctx, title),
          onPartial: (dir) => (partial = dir),
        });
      } catch (error) {
        // An abort's reason is the InterruptedError; a file error met after it is the interruption too.
        if (interrupt.signal.aborted) throw interrupt.signal.reason;
        throw error;
      } finally {
        interrupt.release();
      }
      await writeStdout(ctx.stdout, flags.json ? `${safeJson(manifest)}\n` : safeLines(backupReport(manifest, flags.out)));
    });
}
