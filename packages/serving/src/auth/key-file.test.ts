import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKeyAuth, hashApiKey } from './api-keys.js';
import { addApiKey, readKeyFile } from './key-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
});
