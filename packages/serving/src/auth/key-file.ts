import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ServingConfigError } from '../errors.js';
import { ApiKeyFileSchema, generateApiKey, hashApiKey, type ApiKeyFile, type RateLimit, type Scope } from './api-keys.js';

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
export function checkKeyFilePermissions(file: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile() || (stat.mode & 0o022) === 0) return;
  const who = [stat.mode & 0o020 && 'its group', stat.mode & 0o002 && 'every user'].filter(Boolean).join(' and ');
  throw new ServingConfigError(
    `API key file ${file} can be written by ${who} (mode ${(stat.mode & 0o777).toString(8)}), who could add a key of their own: make it writable by its owner only (chmod 600 ${file}), and check that it holds only your keys.`,
    { file },
  );
}

/**
 * Creates a key, stores only its sha256 in the key file and returns the key: the one moment it exists
 * in clear. An id already in the file is refused unless `rotate` (the old key then stops working; its
 * rate limit is kept unless `rateLimit` is given: null removes it).
 */
export function addApiKey(file: string, id: string, scopes: readonly Scope[], options: { rotate?: boolean; rateLimit?: RateLimit | null } = {}): string {
  const current = readKeyFile(file);
  const old = current.keys.find((k) => k.id === id);
  if (old && !options.rotate) {
    throw new ServingConfigError(`API key "${id}" already exists in ${file}; rotate it on purpose (the old key stops working), or pick another id.`, { keyId: id });
  }
  const key = generateApiKey();
  // A rate limit given replaces the old one (null: none); else a rotated key keeps its own.
  const rateLimit = options.rateLimit === undefined ? old?.rateLimit : (options.rateLimit ?? undefined);
  const entry = { id, sha256: hashApiKey(key), scopes: [...scopes], ...(rateLimit ? { rateLimit } : {}) };
  const next: ApiKeyFile = { keys: [...current.keys.filter((k) => k.id !== id), entry] };
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
  return key;
}
