import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashApiKey } from '@mailroute/serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// The key options need no model: no champion is trained for these tests.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-cli-keys-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { env });

describe('mailroute serve --list-keys', () => {
  it('lists the ids, scopes and rate limits of the key file, as a table or JSON, never the hashes', async () => {
    const keyHome = path.join(root, 'listed');
    const file = path.join(keyHome, 'api-keys.json');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rate-limit', '20/50'])).code).toBe(0);
    expect((await run(['serve', '--home', keyHome, '--new-key', 'prometheus', '--scopes', 'metrics'])).code).toBe(0);
    const hashes: string[] = JSON.parse(await readFile(file, 'utf8')).keys.map((k: { sha256: string }) => k.sha256);
    const listed = await run(['serve', '--home', keyHome, '--list-keys']);
    expect(listed.code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(listed.stdout).toBe(
      [
        'id          scopes              rate limit          created',
        '----------  ------------------  ------------------  ------------------',
        `crm         classify, feedback  20/s, bursts of 50  ${today} (today)`,
        `prometheus  metrics             none                ${today} (today)`,
        '',
      ].join('\n'),
    );
    expect(listed.stderr).toBe(`2 API keys in ${file} (only their sha256 is stored).\n`);
    const json = await run(['serve', '--api-keys', file, '--list-keys', '--json']);
    expect(json.code).toBe(0);
    const created = JSON.parse(await readFile(file, 'utf8')).keys.map((k: { createdAt: string }) => k.createdAt);
    expect(created.every((at: string) => Math.abs(Date.parse(at) - Date.now()) < 60_000)).toBe(true);
    expect(JSON.parse(json.stdout)).toEqual({
      file,
      keys: [
        { id: 'crm', scopes: ['classify', 'feedback'], rateLimit: { perSecond: 20, burst: 50 }, createdAt: created[0] },
        { id: 'prometheus', scopes: ['metrics'], rateLimit: null, createdAt: created[1] },
      ],
    });
    for (const res of [listed, json]) for (const hash of hashes) expect(`${res.stdout}${res.stderr}`).not.toContain(hash.slice(0, 16));
    // The file is only read.
    expect(JSON.parse(await readFile(file, 'utf8')).keys.map((k: { sha256: string }) => k.sha256)).toEqual(hashes);
  });

  it('says how old each key is, and unknown for a key made before the file kept it', async () => {
    const file = path.join(root, 'aged.json');
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000 - 60_000).toISOString();
    const keys = [
      { id: 'old', sha256: hashApiKey('a'), scopes: ['classify'] },
      { id: 'crm', sha256: hashApiKey('b'), scopes: ['classify'], createdAt: at(97) },
      { id: 'ops', sha256: hashApiKey('c'), scopes: ['admin'], createdAt: at(1) },
    ];
    await writeFile(file, JSON.stringify({ keys }), { mode: 0o600 });
    const listed = await run(['serve', '--api-keys', file, '--list-keys']);
    expect(listed.code).toBe(0);
    const created = listed.stdout.split('\n').slice(2, 5).map((line) => line.split(/ {2,}/).at(-1));
    expect(created).toEqual(['unknown', `${at(97).slice(0, 10)} (97 days ago)`, `${at(1).slice(0, 10)} (yesterday)`]);
    expect(listed.stderr).toBe(`3 API keys in ${file} (only their sha256 is stored). A key created \`unknown\` was made before the key file kept when a key was made.\n`);
    expect(JSON.parse((await run(['serve', '--api-keys', file, '--list-keys', '--json'])).stdout).keys[0]).toEqual({ id: 'old', scopes: ['classify'], rateLimit: null, createdAt: null });
  });

  it('refuses the options it does not read, as --new-key and --revoke-key do, and --json without it', async () => {
    const keyHome = path.join(root, 'options');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm'])).code).toBe(0);
    for (const extra of [['--port', '1234'], ['--scopes', 'classify'], ['--rotate'], ['--new-key', 'x'], ['--revoke-key', 'crm']]) {
      const res = await run(['serve', '--home', keyHome, '--list-keys', ...extra]);
      expect(res.code, extra[0]).toBe(2);
      expect(res.stdout, extra[0]).toBe('');
      expect(res.stderr, extra[0]).toContain(`${extra[0]} does not go with --list-keys, which lists the API keys and exits without serving`);
    }
    const alone = await run(['serve', '--home', keyHome, '--json']);
    expect([alone.code, alone.stderr]).toEqual([2, expect.stringContaining('--json goes only with --list-keys')]);
  });

  it('says when there is no key file, when it holds no keys, and when it is not valid, as the other key options say', async () => {
    // The home's key file not made yet: no keys (a server there runs without auth, loopback only), exit code 0.
    const missingHome = path.join(root, 'no-file');
    const keyFile = path.join(missingHome, 'api-keys.json');
    const missing = await run(['serve', '--home', missingHome, '--list-keys']);
    expect([missing.code, missing.stdout]).toEqual([0, '']);
    expect(missing.stderr).toBe(`no API keys: there is no key file ${keyFile}, so a server started on this home serves without auth, to this machine only; create a key with mailroute serve --new-key <id>.\n`);
    const missingJson = await run(['serve', '--home', missingHome, '--list-keys', '--json']);
    expect([missingJson.code, JSON.parse(missingJson.stdout), missingJson.stderr]).toEqual([0, { file: keyFile, keys: [] }, '']);
    // Listing made nothing.
    await expect(stat(missingHome)).rejects.toThrow();
    // A key file named (--api-keys, MAILROUTE_API_KEYS_FILE) that is not there is likely mistyped: not found, exit code 1.
    const namedFile = path.join(root, 'no-such-keys.json');
    for (const res of [await run(['serve', '--api-keys', namedFile, '--list-keys', '--json']), await run(['serve', '--list-keys'], { MAILROUTE_API_KEYS_FILE: namedFile })]) {
      expect([res.code, res.stdout, res.stderr]).toEqual([
        1,
        '',
        `mailroute: [API_KEY_NOT_FOUND] there is no key file ${namedFile}, so no API keys to list (name the key file with --api-keys or MAILROUTE_API_KEYS_FILE; create a key in it with mailroute serve --new-key <id>)\n`,
      ]);
    }
    // A home that is a file is said so, naming --home as it was given, not as a key file that is not there.
    const aFile = path.join(root, 'home-file');
    await writeFile(aFile, 'not a folder');
    const homeFile = await run(['serve', '--home', aFile, '--list-keys', '--json']);
    expect([homeFile.code, homeFile.stdout, homeFile.stderr]).toEqual([1, '', `mailroute: [REGISTRY_HOME_NOT_DIRECTORY] --home ${aFile} is a file, not a directory: point --home at a directory, or move the file away\n`]);
    const envFile = await run(['serve', '--list-keys'], { MAILROUTE_HOME: aFile });
    expect(envFile.stderr).toBe(`mailroute: [REGISTRY_HOME_NOT_DIRECTORY] MAILROUTE_HOME=${aFile} is a file, not a directory: point MAILROUTE_HOME (or --home) at a directory, or move the file away\n`);
    const empty = path.join(root, 'empty.json');
    await writeFile(empty, JSON.stringify({ keys: [] }), { mode: 0o600 });
    const none = await run(['serve', '--api-keys', empty, '--list-keys']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain(`${empty} holds no API keys: a running server that reads it refuses every key`);
    expect(JSON.parse((await run(['serve', '--api-keys', empty, '--list-keys', '--json'])).stdout)).toEqual({ file: empty, keys: [] });
    const bad = path.join(root, 'bad.json');
    await writeFile(bad, '{"keys": [', { mode: 0o600 });
    const malformed = await run(['serve', '--api-keys', bad, '--list-keys']);
    expect([malformed.code, malformed.stdout, malformed.stderr]).toEqual([1, '', `mailroute: [SERVING_CONFIG_INVALID] API key file ${bad} is not valid JSON.\n`]);
  });

  it.skipIf(process.platform === 'win32')('lists a key file others may write, with the warning of why a server refuses it', async () => {
    const keyHome = path.join(root, 'loose-list');
    const file = path.join(keyHome, 'api-keys.json');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm'])).code).toBe(0);
    await chmod(file, 0o666);
    const listed = await run(['serve', '--home', keyHome, '--list-keys']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('crm');
    expect(listed.stderr).toContain(`warning: API key file ${file} can be written by its group and every user (mode 666)`);
    expect(listed.stderr).toContain('a server refuses it at start');
  });
});

describe('a key file with an id twice', () => {
  it('is refused by --new-key, --revoke-key and --list-keys, naming the id, and left as it was', async () => {
    const file = path.join(root, 'twice.json');
    const entry = (scopes: string[]) => ({ id: 'admin-ops', sha256: hashApiKey(`mr_${scopes.join()}`), scopes });
    const text = JSON.stringify({ keys: [entry(['classify']), entry(['admin'])] });
    await writeFile(file, text, { mode: 0o600 });
    const said = `mailroute: [SERVING_CONFIG_INVALID] API key file ${file}: keys.1.id: "admin-ops" is the id of keys.0 too: each key needs an id of its own (remove one of them, or give it another id)\n`;
    for (const argv of [['--new-key', 'other'], ['--new-key', 'admin-ops', '--rotate'], ['--revoke-key', 'admin-ops'], ['--list-keys']]) {
      const res = await run(['serve', '--api-keys', file, ...argv]);
      expect([res.code, res.stdout, res.stderr], argv[0]).toEqual([1, '', said]);
    }
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe.skipIf(process.platform === 'win32')('a key file others may write', () => {
  it('is refused by --new-key and --revoke-key with the words serve refuses it with, and left as it was (mode 666)', async () => {
    const keyHome = path.join(root, 'loose');
    const file = path.join(keyHome, 'api-keys.json');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm'])).code).toBe(0);
    await chmod(file, 0o666);
    const text = await readFile(file, 'utf8');
    const said = `mailroute: [SERVING_CONFIG_INVALID] API key file ${file} can be written by its group and every user (mode 666), who could add a key of their own: make it writable by its owner only (chmod 600 ${file}), and check that it holds only your keys.\n`;
    // What serve says of it at start, before any model is looked for.
    const served = await run(['serve', '--port', '0', '--home', keyHome, '--api-keys', file]);
    expect([served.code, served.stderr]).toEqual([1, said]);
    for (const argv of [['--new-key', 'other'], ['--new-key', 'crm', '--rotate'], ['--new-key', 'crm'], ['--revoke-key', 'crm']]) {
      const res = await run(['serve', '--home', keyHome, ...argv]);
      expect([res.code, res.stdout, res.stderr], argv.join(' ')).toEqual([1, '', said]);
    }
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await stat(file)).mode & 0o777).toBe(0o666);
  });
});

describe('mailroute serve --new-key --rotate', () => {
  it('says the old key stops working at the next check of the key file, and the way to switch without refusals', async () => {
    const keyHome = path.join(root, 'rotated');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm'])).code).toBe(0);
    const rotated = await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate']);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain(
      'The old key of "crm" stops working, and this one starts, when a running server next checks the key file (within 5 seconds): a caller that switches to it at once may get 401s until then. To switch without refusals, make a key with a second id (mailroute serve --new-key crm-2), switch the CRM to it, then revoke the old id (mailroute serve --revoke-key crm).',
    );
    // A key made, not rotated, says nothing of it.
    const made = await run(['serve', '--home', keyHome, '--new-key', 'crm-2']);
    expect(made.stderr).not.toContain('stops working');
  });
});
