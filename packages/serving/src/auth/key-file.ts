import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ServingConfigError } from '../errors.js';
import { ApiKeyFileSchema, generateApiKey, hashApiKey, type ApiKeyFile, type Scope } from './api-keys.js';

export function readKeyFile(file: string): ApiKeyFile {
  if (!existsSync(file)) return { keys: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
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
 * Creates a key, stores only its sha256 in the key file (replacing an entry with the same id) and
 * returns the key: the one moment it exists in clear.
 */
export function addApiKey(file: string, id: string, scopes: readonly Scope[]): string {
  const current = readKeyFile(file);
  const key = generateApiKey();
  const next: ApiKeyFile = { keys: [...current.keys.filter((k) => k.id !== id), { id, sha256: hashApiKey(key), scopes: [...scopes] }] };
  ApiKeyFileSchema.parse(next);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return key;
}
