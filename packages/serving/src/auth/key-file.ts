import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ServingConfigError } from '../errors.js';
import { describeError, silentLogger, systemClock, type Clock, type Logger } from '../http/logger.js';
import { ApiKeyFileSchema, createApiKeyAuth, generateApiKey, hashApiKey, type ApiKeyEntry, type ApiKeyFile, type Auth, type RateLimit, type Scope } from './api-keys.js';

export function readKeyFile(file: string): ApiKeyFile {
  if (!existsSync(file)) return { keys: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A folder (`--api-keys keys/`) was said to be "not valid JSON".
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a folder; name the key file itself, such as api-keys.json in it' : (code ?? String(error));
    throw new ServingConfigError(`API key file ${file} cannot be read: ${why}.`, {}, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ServingConfigError(`API key file ${file} is not valid JSON.`, {}, { cause: error });
  }
  const parsed = ApiKeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServingConfigError(`API key file ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Refuses a key file that others than its owner may write (its group or other users: mode bits 022): any of them
 * could add the hash of a key of their own, with the admin scope, and the server would take it. Mode bits mean
 * nothing on Windows (`platform` win32): not checked there. A file that is not there, or is no file, is left to
 * the reading to say.
 */
export function checkKeyFilePermissions(file: string, platform: NodeJS.Platform = process.platform, uid: number | undefined = process.getuid?.()): void {
  if (platform === 'win32') return;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile()) return;
  // Owned by another account (not root, whose files only root changes): that account could add a key of its own.
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
    throw new ServingConfigError(
      `API key file ${file} is owned by another account (uid ${stat.uid}; this server runs as uid ${uid}), which could add a key of its own: make it this account's (chown) or root's, writable by its owner only (chmod 600 ${file}), and check that it holds only your keys.`,
      { file },
    );
  }
  // In a folder every user may write (but a sticky one, such as /tmp, where only its owner may replace it): anyone could
  // put another file in its place. (A folder its group may write is left alone: with a private group per user, the usual
  // umask 002 makes every folder so.)
  const folder = statSync(path.dirname(file), { throwIfNoEntry: false });
  if (folder !== undefined && (folder.mode & 0o002) !== 0 && (folder.mode & 0o1000) === 0) {
    throw new ServingConfigError(
      `API key file ${file} is in a folder every user can write (mode ${(folder.mode & 0o777).toString(8)}), so anyone could replace it with a file holding a key of their own: keep it in a folder only its owner writes (chmod 700 ${path.dirname(file)}).`,
      { file },
    );
  }
  if ((stat.mode & 0o022) === 0) return;
  const who = [stat.mode & 0o020 && 'its group', stat.mode & 0o002 && 'every user'].filter(Boolean).join(' and ');
  throw new ServingConfigError(
    `API key file ${file} can be written by ${who} (mode ${(stat.mode & 0o777).toString(8)}), who could add a key of their own: make it writable by its owner only (chmod 600 ${file}), and check that it holds only your keys.`,
    { file },
  );
}

/**
 * Creates a key, stores only its sha256 in the key file and returns the key: the one moment it exists
 * in clear. An id already in the file is refused unless `rotate` (the old key then stops working; its
 * rate limit is kept unless `rateLimit` is given: null removes it). A file others may write is refused, as a
 * server refuses it (`checkKeyFilePermissions`), and left as it is: rewritten mode 600, it would be taken with
 * whatever keys they added. The entry keeps when the key was made (`createdAt`: `now`, default the clock's time).
 */
export function addApiKey(file: string, id: string, scopes: readonly Scope[], options: { rotate?: boolean; rateLimit?: RateLimit | null; now?: Date } = {}): string {
  checkKeyFilePermissions(file);
  const current = readKeyFile(file);
  const old = current.keys.find((k) => k.id === id);
  if (old && !options.rotate) {
    throw new ServingConfigError(`API key "${id}" already exists in ${file}; rotate it on purpose (the old key stops working), or pick another id.`, { keyId: id });
  }
  const key = generateApiKey();
  // A rate limit given replaces the old one (null: none); else a rotated key keeps its own.
  const rateLimit = options.rateLimit === undefined ? old?.rateLimit : (options.rateLimit ?? undefined);
  const entry = { id, sha256: hashApiKey(key), scopes: [...scopes], ...(rateLimit ? { rateLimit } : {}), createdAt: (options.now ?? new Date()).toISOString() };
  writeKeyFile(file, { keys: [...current.keys.filter((k) => k.id !== id), entry] });
  return key;
}

/**
 * Takes the key `id` out of the key file (a new file renamed over it, as `addApiKey` writes it) and returns its entry:
 * a running server stops accepting it at its next check of the file (`createKeyFileAuth`). An id not in the file is
 * refused, and so is a file others may write (`checkKeyFilePermissions`), as `addApiKey` refuses it.
 */
export function revokeApiKey(file: string, id: string): ApiKeyEntry & { keysLeft: number } {
  checkKeyFilePermissions(file);
  const current = readKeyFile(file);
  const entry = current.keys.find((k) => k.id === id);
  if (entry === undefined) {
    const ids = current.keys.map((k) => k.id);
    const held = ids.length === 0 ? 'it holds no keys' : `its keys are ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`;
    throw new ServingConfigError(`There is no API key "${id}" in ${file} to revoke: ${held}.`, { keyId: id });
  }
  const kept = current.keys.filter((k) => k.id !== id);
  writeKeyFile(file, { keys: kept });
  return { ...entry, keysLeft: kept.length };
}

/** Writes the key file whole: a temp file (mode 600) renamed over it, so a server never reads half a file. */
function writeKeyFile(file: string, next: ApiKeyFile): void {
  ApiKeyFileSchema.parse(next);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (error) {
    // A key file that cannot be replaced (a folder stands there) left the temp file, and its hashes, beside it.
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** How often, at most, a server looks whether its key file changed (on a request that presents a key). */
export const KEY_FILE_CHECK_MS = 5_000;

/** What tells a key file's versions apart: a file renamed over it (inode), its size and its times; undefined when absent. */
function stampOf(file: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat === undefined ? undefined : `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

export interface KeyFileAuth extends Auth {
  /** The keys read last. */
  readonly keyCount: number;
}

/**
 * The keys of `file`, read again when it changes: at most every `checkMs` (default KEY_FILE_CHECK_MS), on a request
 * that presents a key, the file's inode, size and times are compared with those read; a new version is read whole
 * and replaces the keys (`api keys reloaded`, with their count), so a key revoked (`mailroute serve --revoke-key`) or
 * rotated stops working without a restart, and a new one starts. A version that cannot be used (not valid, writable by
 * others, gone) keeps the keys read before, and is logged once at error level. The file is read (and its errors
 * thrown) now; auth stays on however few keys a later version holds (none: every key refused).
 */
export function createKeyFileAuth(file: string, options: { logger?: Logger; clock?: Clock; checkMs?: number } = {}): KeyFileAuth {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const checkMs = options.checkMs ?? KEY_FILE_CHECK_MS;
  // Stamped before it is read: a change in between is seen at the first check, and the file read again.
  let stamp = stampOf(file);
  let keys = readKeyFile(file).keys;
  let current = createApiKeyAuth(keys);
  let refused: string | undefined;
  let checkedAt = clock.now();
  const check = (): void => {
    let seen: string | undefined;
    try {
      seen = stampOf(file);
      if (seen === stamp || (seen !== undefined && seen === refused)) return;
      if (seen === undefined) throw new ServingConfigError(`API key file ${file} is not there any more (deleted or moved)`);
      checkKeyFilePermissions(file);
      const read = readKeyFile(file).keys;
      current = createApiKeyAuth(read);
      keys = read;
      stamp = seen;
      refused = undefined;
      logger.info('api keys reloaded', { file, keys: read.length });
    } catch (error) {
      // Said once for each version that cannot be used (and once while the file is not there, or cannot be looked at).
      const version = seen ?? 'gone';
      if (refused !== version) logger.error('api key file not reloaded: the keys read before stay in use', { file, keys: keys.length, error: describeError(error) });
      refused = version;
    }
  };
  return {
    enabled: true,
    get keyCount() {
      return keys.length;
    },
    authenticate(presented) {
      const now = clock.now();
      // A clock set back checks at once rather than after the whole step.
      if (now - checkedAt >= checkMs || now < checkedAt) {
        checkedAt = now;
        check();
      }
      return current.authenticate(presented);
    },
  };
}
