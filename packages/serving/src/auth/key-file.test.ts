import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, json, jsonRequest } from '../test-support/harness.js';
import { invoiceEmail } from '../test-support/route-helpers.js';
import { createApiKeyAuth, hashApiKey } from './api-keys.js';
import { addApiKey, checkKeyFilePermissions, createKeyFileAuth, KEY_FILE_CHECK_MS, readKeyFile, revokeApiKey } from './key-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The auth of a key file on a clock the test moves (`advance`), and the fields of the error lines it logs. */
function watchedAuth(file: string) {
  let now = 0;
  const errors: Array<Record<string, unknown> | undefined> = [];
  const auth = createKeyFileAuth(file, { clock: { now: () => now }, logger: { info: () => undefined, warn: () => undefined, error: (_m, f) => void errors.push(f) } });
  return { auth, errors, advance: (ms: number) => void (now += ms) };
}

describe('API key file', () => {
  it('stores only the hash; the returned key authenticates with its scopes; the same id is replaced only when rotated', () => {
    const file = path.join(dir, 'api-keys.json');
    const first = addApiKey(file, 'crm', ['classify']);
    expect(() => addApiKey(file, 'crm', ['classify'])).toThrow(/API key "crm" already exists/);
    const second = addApiKey(file, 'crm', ['classify', 'feedback'], { rotate: true });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(second);
    expect(text).toContain(hashApiKey(second));
    const { keys } = readKeyFile(file);
    expect(keys).toHaveLength(1);
    const auth = createApiKeyAuth(keys);
    expect(auth.authenticate(first)).toBeUndefined();
    expect([...(auth.authenticate(second)?.scopes ?? [])]).toEqual(['classify', 'feedback']);
    expect(auth.authenticate(`${second}x`)).toBeUndefined();
  });

  it('keeps when each key was made, a rotated key its own new time; a file of keys without one is read as before', () => {
    const file = path.join(dir, 'dated.json');
    addApiKey(file, 'crm', ['classify'], { now: new Date('2026-03-01T08:00:00Z') });
    addApiKey(file, 'ops', ['admin'], { now: new Date('2026-04-01T08:00:00Z') });
    addApiKey(file, 'crm', ['classify'], { rotate: true, now: new Date('2026-09-01T08:00:00Z') });
    expect(readKeyFile(file).keys.map((k) => [k.id, k.createdAt])).toEqual([
      ['ops', '2026-04-01T08:00:00.000Z'],
      ['crm', '2026-09-01T08:00:00.000Z'],
    ]);
    const old = path.join(dir, 'undated.json');
    writeFileSync(old, JSON.stringify({ keys: [{ id: 'crm', sha256: hashApiKey('k'), scopes: ['classify'] }] }));
    expect(readKeyFile(old).keys[0].createdAt).toBeUndefined();
    writeFileSync(old, JSON.stringify({ keys: [{ id: 'crm', sha256: hashApiKey('k'), scopes: ['classify'], createdAt: 'last spring' }] }));
    expect(() => readKeyFile(old)).toThrow(expect.objectContaining({ code: 'SERVING_CONFIG_INVALID' }));
  });

  it('rejects a malformed file with a coded error', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ keys: [{ id: 'x', sha256: 'plaintext-key', scopes: ['classify'] }] }));
    expect(() => readKeyFile(file)).toThrow(expect.objectContaining({ code: 'SERVING_CONFIG_INVALID' }));
  });

  it('says a folder named as the key file is one, and leaves no temp file when it cannot be replaced', () => {
    const folder = path.join(dir, 'keys');
    mkdirSync(folder);
    // Read, it was "not valid JSON"; written, the temp file stayed in it (folder/.<pid>.tmp with the hashes).
    const said = `API key file ${folder}/ cannot be read: it is a folder; name the key file itself, such as api-keys.json in it.`;
    expect(() => readKeyFile(`${folder}/`)).toThrow(said);
    // Through a folder that is not there yet, the file is not found to read, and the folder takes the temp file.
    expect(() => addApiKey(`${dir}/missing/x/../../keys/`, 'crm', ['classify'])).toThrow();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('revokes a key: its entry taken out of the file, written whole (mode 600), the other keys kept; an unknown id refused', () => {
    const file = path.join(dir, 'revoke.json');
    addApiKey(file, 'crm', ['classify']);
    const kept = addApiKey(file, 'scraper', ['metrics']);
    chmodSync(file, 0o644);
    expect(revokeApiKey(file, 'crm')).toMatchObject({ id: 'crm', scopes: ['classify'] });
    const { keys } = readKeyFile(file);
    expect(keys.map((k) => k.id)).toEqual(['scraper']);
    expect(createApiKeyAuth(keys).authenticate(kept)?.keyId).toBe('scraper');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => revokeApiKey(file, 'crm')).toThrow('There is no API key "crm" in ' + file + ' to revoke: its keys are scraper.');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('refuses a file with an id twice, naming it, as the other malformed files (it was the first entry that counted)', () => {
    const file = path.join(dir, 'twice.json');
    const entry = (scopes: string[]) => ({ id: 'admin-ops', sha256: hashApiKey(`mr_${scopes.join()}`), scopes });
    const text = JSON.stringify({ keys: [entry(['classify']), { id: 'crm', sha256: hashApiKey('mr_crm'), scopes: ['classify'] }, entry(['admin'])] });
    writeFileSync(file, text);
    const said = `API key file ${file}: keys.2.id: "admin-ops" is the id of keys.0 too: each key needs an id of its own (remove one of them, or give it another id)`;
    expect(() => readKeyFile(file)).toThrow(said);
    expect(() => readKeyFile(file)).toThrow(expect.objectContaining({ code: 'SERVING_CONFIG_INVALID' }));
    // Neither added to nor revoked from (revoking took both entries out): the file is left as it was.
    expect(() => addApiKey(file, 'other', ['classify'])).toThrow(said);
    expect(() => addApiKey(file, 'admin-ops', ['classify'], { rotate: true })).toThrow(said);
    expect(() => revokeApiKey(file, 'admin-ops')).toThrow(said);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it.skipIf(process.platform === 'win32')('neither adds to nor revokes from a key file others may write, as serve refuses it, and leaves it as it was', () => {
    const file = path.join(dir, 'loose.json');
    addApiKey(file, 'crm', ['classify']);
    chmodSync(file, 0o666);
    const text = readFileSync(file, 'utf8');
    const said = `API key file ${file} can be written by its group and every user (mode 666)`;
    expect(() => checkKeyFilePermissions(file)).toThrow(said);
    expect(() => addApiKey(file, 'other', ['classify'])).toThrow(said);
    expect(() => addApiKey(file, 'crm', ['classify'], { rotate: true })).toThrow(said);
    expect(() => revokeApiKey(file, 'crm')).toThrow(said);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mode & 0o777).toBe(0o666);
  });
});

describe('who else could change a key file', () => {
  it.skipIf(process.platform === 'win32')("refuses one another account owns (not root), and one in a folder every user may write that is not sticky (QA: a 0600 file owned by nobody was taken)", () => {
    const file = path.join(dir, 'owned.json');
    addApiKey(file, 'crm', ['classify']);
    // Root's own files are fine for anyone: run as root (a container), the file is given to another account first.
    if (process.getuid?.() === 0) chownSync(file, 4242, 4242);
    const owner = statSync(file).uid;
    const mine = process.getuid?.() ?? owner;
    // As a server of another account reads it: refused.
    expect(() => checkKeyFilePermissions(file, 'linux', owner + 1)).toThrow(`API key file ${file} is owned by another account (uid ${owner}; this server runs as uid ${owner + 1})`);
    expect(() => checkKeyFilePermissions(file, 'linux', owner)).not.toThrow();
    const open = path.join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const inOpen = path.join(open, 'keys.json');
    addApiKey(path.join(dir, 'moved.json'), 'crm', ['classify']);
    writeFileSync(inOpen, readFileSync(path.join(dir, 'moved.json')), { mode: 0o600 });
    expect(() => checkKeyFilePermissions(inOpen, 'linux', mine)).toThrow(`API key file ${inOpen} is in a folder every user can write (mode 777)`);
    // Sticky (as /tmp is): only the file's owner may replace it there.
    chmodSync(open, 0o1777);
    expect(() => checkKeyFilePermissions(inOpen, 'linux', mine)).not.toThrow();
    // A folder its group may write (a private group per user, umask 002) is left alone.
    chmodSync(open, 0o775);
    expect(() => checkKeyFilePermissions(inOpen, 'linux', mine)).not.toThrow();
  });
});

describe('a running app on a key file', () => {
  it('stops accepting a revoked key, and takes a new one, once it has read the changed file: no restart', async () => {
    const file = path.join(dir, 'running.json');
    const crm = addApiKey(file, 'crm', ['classify']);
    const other = addApiKey(file, 'other', ['classify']);
    let now = 1_000_000;
    const clock = { now: () => now };
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger = { info: (m: string, f?: Record<string, unknown>) => void lines.push(['info', m, f]), warn: () => undefined, error: (m: string, f?: Record<string, unknown>) => void lines.push(['error', m, f]) };
    const serving = await buildTestApp({ auth: createKeyFileAuth(file, { logger, clock }), clock });
    try {
      const classify = (key: string) => serving.app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, key));
      expect((await classify(crm)).status).toBe(200);
      revokeApiKey(file, 'crm');
      const added = addApiKey(file, 'new', ['classify']);
      now += KEY_FILE_CHECK_MS;
      const refused = await classify(crm);
      expect(refused.status).toBe(401);
      expect((await json(refused)).code).toBe('UNAUTHENTICATED');
      expect((await classify(added)).status).toBe(200);
      expect((await classify(other)).status).toBe(200);
      expect(lines).toEqual([['info', 'api keys reloaded', { file, keys: 2 }]]);
      // A version that cannot be used keeps the keys read before, said once however often it is looked at.
      writeFileSync(file, '{"keys": [');
      for (let i = 0; i < 3; i++) {
        now += KEY_FILE_CHECK_MS;
        expect((await classify(added)).status).toBe(200);
      }
      expect(lines.slice(1)).toEqual([['error', 'api key file not reloaded: the keys read before stay in use', expect.objectContaining({ file, keys: 2, error: expect.stringContaining('is not valid JSON') })]]);
      // Fixed, it is read again; emptied (every key revoked), auth stays on and every key is refused.
      writeFileSync(file, JSON.stringify({ keys: [] }));
      now += KEY_FILE_CHECK_MS;
      expect((await classify(added)).status).toBe(401);
      expect(lines.at(-1)).toEqual(['info', 'api keys reloaded', { file, keys: 0 }]);
    } finally {
      await serving.close();
    }
  });

  it('keeps the keys read before when the file changes to one with an id twice, and says so once', () => {
    const file = path.join(dir, 'reload-twice.json');
    const crm = addApiKey(file, 'crm', ['classify']);
    const { auth, errors, advance } = watchedAuth(file);
    const { keys } = readKeyFile(file);
    writeFileSync(file, JSON.stringify({ keys: [...keys, { ...keys[0], scopes: ['admin'] }] }));
    for (let i = 0; i < 2; i++) {
      advance(KEY_FILE_CHECK_MS);
      expect([...(auth.authenticate(crm)?.scopes ?? [])]).toEqual(['classify']);
    }
    expect(auth.keyCount).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ file, keys: 1, error: expect.stringContaining('keys.1.id: "crm" is the id of keys.0 too') })]);
  });

  it('looks at the file at most every few seconds, and a key file others may write is not taken', () => {
    const file = path.join(dir, 'checked.json');
    const crm = addApiKey(file, 'crm', ['classify']);
    const { auth, errors, advance } = watchedAuth(file);
    expect(auth.keyCount).toBe(1);
    revokeApiKey(file, 'crm');
    advance(KEY_FILE_CHECK_MS - 1);
    expect(auth.authenticate(crm)?.keyId).toBe('crm');
    advance(1);
    expect(auth.authenticate(crm)).toBeUndefined();
    if (process.platform === 'win32') return;
    const back = addApiKey(file, 'crm', ['classify']);
    chmodSync(file, 0o666);
    advance(KEY_FILE_CHECK_MS);
    expect(auth.authenticate(back)).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ error: expect.stringContaining('can be written by its group and every user') })]);
  });
});
