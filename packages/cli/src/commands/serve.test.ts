import { EventEmitter } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { hashApiKey } from '@mailroute/serving';
import { ensureDemoChampion } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { main } from '../main.js';
import { lineLogger, listenAddress, serveLimits, shutdownSignals } from './serve.js';
import { captureStream, runCli } from '../test-support.js';


/** Runs a long-lived command; resolves once it printed its URL. `stop()` sends SIGTERM and gives the exit code. */
async function launch(argv: string[], env: Record<string, string> = {}) {
  const out = captureStream();
  const err = captureStream();
  const signals = new EventEmitter();
  shutdownSignals.emitter = signals;
  const ctx = createContext({ stdout: out.stream, stderr: err.stream, env, cwd: process.cwd() });
  const exit = main(argv, ctx);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /serving on (http:\/\/\S+)/.exec(out.text());
      if (m) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 20);
    exit.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code}: ${err.text()}`));
    });
  });
  return {
    url,
    stdout: out.text,
    stderr: err.text,
    stop: async () => {
      signals.emit('SIGTERM');
      return exit;
    },
  };
}

function run(argv: string[], env: Record<string, string> = {}) {
  return runCli(argv, { env });
}

let root: string;
/** A home with a small demo champion, trained once for the file: the tests that serve one read it. */
let home: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-cli-serve-'));
  home = path.join(root, 'home');
  await ensureDemoChampion({ home, rows: 400 });
}, 180_000);
afterAll(async () => {
  shutdownSignals.emitter = process;
  await rm(root, { recursive: true, force: true });
});

describe('mailroute start', () => {
  it('trains and approves a demo champion when there is none, serves it on loopback without auth and says so', async () => {
    const empty = path.join(root, 'start-home');
    const app = await launch(['start', '--port', '0', '--home', empty, '--poll-seconds', '0']);
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.stdout()).toContain('auth: OFF');
    expect(app.stdout()).toContain(`curl -s ${app.url}/v1/classify`);
    expect(app.stderr()).toContain('champion model:');
    // Its progress names each stage once, in lines a log keeps (stderr is no terminal here).
    expect(app.stderr()).toMatch(/^training the demo model clean: 100% \(4000\/4000\)$/m);
    // The last epoch line, whether all epochs ran or early stopping ended them (`done (stopped early after 4 of 6 epochs)`).
    expect(app.stderr()).toMatch(/^training the demo model epoch: 100% \((\d+)\/\1\)(?: done \(stopped early after \1 of \d+ epochs\))?$/m);
    const res = await fetch(`${app.url}/v1/classify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emails: [{ id: 'd1', subject: 'Depotübertrag', body: 'Bitte übertragen Sie mein Depot zur neuen Bank.' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { modelId: string; predictions: Array<{ id: string; tasks: Record<string, { label: string }> }> };
    expect(body.predictions[0].id).toBe('d1');
    expect(Object.keys(body.predictions[0].tasks).length).toBeGreaterThan(0);
    expect(await app.stop()).toBe(0);
    expect(await readdir(empty)).toContain('mailroute.db');
  }, 240_000);
});

describe('mailroute serve', () => {
  it('serves the champion with API keys from the key file', async () => {
    const keysFile = path.join(root, 'keys.json');
    const prometheus = { id: 'prometheus', sha256: hashApiKey('mr_scraper'), scopes: ['metrics'] };
    await writeFile(keysFile, JSON.stringify({ keys: [{ id: 'crm', sha256: hashApiKey('mr_secret'), scopes: ['classify'] }, prometheus] }));
    const app = await launch(['serve', '--port', '0', '--home', home, '--api-keys', keysFile], { MAILROUTE_TIME_ZONE: 'Europe/Berlin' });
    expect(app.stdout()).toContain('auth: API keys required');
    // The zone the CRM's times without one are read in, and where it was set.
    expect(app.stdout()).toContain("\ntime zone: Europe/Berlin (MAILROUTE_TIME_ZONE): the CRM's times sent without one (receivedAt, closedAt) are read in it\n");
    const send = (key?: string) =>
      fetch(`${app.url}/v1/classify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ emails: [{ body: 'Kontoauszug fehlt' }] }),
      });
    expect((await send()).status).toBe(401);
    expect((await send('mr_secret')).status).toBe(200);
    // A metrics key scrapes, and classifies nothing.
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer mr_scraper' } })).status).toBe(200);
    expect((await send('mr_scraper')).status).toBe(403);
    // Revoked while it runs: the key is refused once the server has read the file again (within seconds), no restart.
    const revoked = await run(['serve', '--api-keys', keysFile, '--revoke-key', 'crm']);
    expect(revoked.code).toBe(0);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await send('mr_secret')).status;
    }
    expect(status).toBe(401);
    expect(app.stderr()).toMatch(/"message":"api keys reloaded".*"keys":1/);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer mr_scraper' } })).status).toBe(200);
    expect(await app.stop()).toBe(0);
  }, 60_000);

  it('revokes a key with --revoke-key: taken out of the key file, which it alone reads', async () => {
    const keyHome = path.join(root, 'revoked');
    const file = path.join(keyHome, 'api-keys.json');
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm'])).code).toBe(0);
    expect((await run(['serve', '--home', keyHome, '--new-key', 'prometheus', '--scopes', 'metrics'])).code).toBe(0);
    const revoked = await run(['serve', '--home', keyHome, '--revoke-key', 'crm']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('');
    expect(revoked.stderr).toBe(
      `API key "crm" (classify, feedback) revoked: removed from ${file} (1 key left). A running server that reads this file stops accepting it within 5 seconds (it logs "api keys reloaded"); no restart needed.\n`,
    );
    expect(JSON.parse(await readFile(file, 'utf8')).keys.map((k: { id: string }) => k.id)).toEqual(['prometheus']);
    // An id not in the file is not found (exit code 1, as `registry show <no such id>`), not a usage error.
    const again = await run(['serve', '--home', keyHome, '--revoke-key', 'crm']);
    expect([again.code, again.stdout, again.stderr]).toEqual([1, '', `mailroute: [API_KEY_NOT_FOUND] there is no API key "crm" in ${file} to revoke: its keys are prometheus\n`]);
    // Options it does not read are refused, not dropped; the file is left as it was.
    for (const extra of [['--port', '1234'], ['--scopes', 'classify'], ['--new-key', 'x']]) {
      const res = await run(['serve', '--home', keyHome, '--revoke-key', 'prometheus', ...extra]);
      expect(res.code, extra[0]).toBe(2);
      expect(res.stderr, extra[0]).toMatch(/does not go with --(revoke|new)-key/);
    }
    const last = await run(['serve', '--home', keyHome, '--revoke-key', 'prometheus']);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain('it holds no keys now: a running server refuses every key until one is added');
    const none = await run(['serve', '--home', path.join(root, 'no-keys'), '--revoke-key', 'crm']);
    expect([none.code, none.stderr]).toEqual([
      1,
      `mailroute: [API_KEY_NOT_FOUND] there is no key file ${path.join(root, 'no-keys', 'api-keys.json')}, so no API key "crm" to revoke (name the key file with --api-keys or MAILROUTE_API_KEYS_FILE)\n`,
    ]);
  });

  it('takes --max-concurrent-per-key up to --max-concurrent, and not with --sagemaker (no keys)', async () => {
    expect(serveLimits({ maxConcurrent: 10, maxConcurrentPerKey: 4 }, false)).toMatchObject({ maxConcurrent: 10, maxConcurrentPerKey: 4 });
    const over = await run(['serve', '--home', home, '--port', '0', '--max-concurrent', '8', '--max-concurrent-per-key', '9']);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('--max-concurrent-per-key 9 is over --max-concurrent 8');
    const overDefault = await run(['serve', '--home', home, '--port', '0', '--max-concurrent-per-key', '65']);
    expect(overDefault.stderr).toContain('--max-concurrent-per-key 65 is over the default --max-concurrent of 64');
    const container = await run(['serve', '--sagemaker', '--model-dir', root, '--port', '0', '--max-concurrent-per-key', '2']);
    expect(container.code).toBe(2);
    expect(container.stderr).toContain('--max-concurrent-per-key does not go with --sagemaker');
  });

  it('creates an API key with --new-key, stored hashed, that the server then requires', async () => {
    const keyHome = path.join(root, 'keyed');
    const made = await run(['serve', '--home', keyHome, '--new-key', 'crm', '--scopes', 'classify']);
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^mr_[A-Za-z0-9_-]{40,}$/);
    const stored = await readFile(path.join(keyHome, 'api-keys.json'), 'utf8');
    expect(stored).not.toContain(key);
    expect(stored).toContain(hashApiKey(key));
    const bad = await run(['serve', '--home', keyHome, '--new-key', 'x', '--scopes', 'root']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('scopes are a comma-separated list of classify, feedback, admin, metrics.');
    // Server options with --new-key (which serves nothing) are refused, not dropped unchecked; no key is made.
    const serverOptions = await run(['serve', '--home', keyHome, '--new-key', 'y', '--port', '1234', '--time-zone', 'Mars/Base']);
    expect(serverOptions.code).toBe(2);
    expect(serverOptions.stdout).toBe('');
    expect(serverOptions.stderr).toContain('--port, --time-zone do not go with --new-key');
    expect(await readFile(path.join(keyHome, 'api-keys.json'), 'utf8')).toBe(stored);
    for (const id of ['', ' crm', 'x'.repeat(101)]) {
      const badId = await run(['serve', '--home', keyHome, '--new-key', id]);
      expect(badId.code).toBe(2);
      expect(badId.stderr).toContain('--new-key needs an id of 1 to 100 characters without leading or trailing blanks');
    }
    // An id that exists is not silently replaced; --rotate replaces it and keeps its rate limit.
    const file = path.join(keyHome, 'api-keys.json');
    const withLimit = JSON.parse(stored);
    withLimit.keys[0].rateLimit = { perSecond: 2, burst: 3 };
    await writeFile(file, JSON.stringify(withLimit));
    const again = await run(['serve', '--home', keyHome, '--new-key', 'crm']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('API key "crm" already exists');
    const rotated = await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate']);
    expect(rotated.code).toBe(0);
    const after = JSON.parse(await readFile(file, 'utf8'));
    expect(after.keys).toHaveLength(1);
    expect(after.keys[0]).toMatchObject({ id: 'crm', sha256: hashApiKey(rotated.stdout.trim()), scopes: ['classify'], rateLimit: { perSecond: 2, burst: 3 } });
    // Rotating keeps the scopes unless new ones are given; there must be something to rotate.
    // A scope given twice is taken once.
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate', '--scopes', 'classify,admin,classify'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].scopes).toEqual(['classify', 'admin']);
    const nothing = await run(['serve', '--home', keyHome, '--new-key', 'nobody', '--rotate']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('there is no API key "nobody"');
    // Prometheus's own: /metrics and /v1/model, nothing else.
    const scraper = await run(['serve', '--home', keyHome, '--new-key', 'prometheus', '--scopes', 'metrics']);
    expect(scraper.code).toBe(0);
    expect(scraper.stderr).toContain('API key "prometheus" (metrics) stored hashed');
  });

  it('sets, changes and removes a key\'s rate limit with --rate-limit, which goes only with --new-key', async () => {
    const keyHome = path.join(root, 'limited');
    const file = path.join(keyHome, 'api-keys.json');
    const made = await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rate-limit', '20/50']);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('API key "crm" (classify, feedback, 20/s with bursts of 50) stored hashed');
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].rateLimit).toEqual({ perSecond: 20, burst: 50 });
    // A rate alone gets a burst of as many; a rotation without --rate-limit keeps it; off removes it.
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate', '--rate-limit', '0.5'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].rateLimit).toEqual({ perSecond: 0.5, burst: 1 });
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].rateLimit).toEqual({ perSecond: 0.5, burst: 1 });
    expect((await run(['serve', '--home', keyHome, '--new-key', 'crm', '--rotate', '--rate-limit', 'off'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].rateLimit).toBeUndefined();
    // Its numbers in plain digits, as the whole-number options take theirs: no hex, exponents or blanks around them.
    for (const bad of ['0', '-1', 'fast', '20/0', '20/', '1e1', '0x14', ' 20', '20 / 50', '.5', '20/5e1', '20/50/5']) {
      const res = await run(['serve', '--home', keyHome, '--new-key', 'other', '--rate-limit', bad]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('a rate limit is requests per second');
    }
    const alone = await run(['serve', '--home', keyHome, '--rate-limit', '5']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--rate-limit goes only with --new-key <id>');
  });

  it('takes no more open connections than MAILROUTE_MAX_CONNECTIONS (or --max-connections)', async () => {
    const app = await launch(['serve', '--port', '0', '--home', home, '--poll-seconds', '0'], { MAILROUTE_MAX_CONNECTIONS: '1' });
    const { port } = new URL(app.url);
    // One keep-alive connection, answered once, holds the only place.
    const held = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => {
      held.once('data', () => resolve());
      held.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    held.destroy();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) status = await fetch(`${app.url}/healthz`, { headers: { connection: 'close' } }).then((r) => r.status, () => 0);
    expect(status).toBe(200);
    expect(await app.stop()).toBe(0);
  }, 60_000);

  it('logs a line per request and gives every answer an id with --access-log or MAILROUTE_ACCESS_LOG, and neither without', async () => {
    for (const [flags, env, logged] of [[['--access-log'], {}, true], [[], { MAILROUTE_ACCESS_LOG: 'yes' }, true], [[], {}, false]] as const) {
      const app = await launch(['serve', '--port', '0', '--home', home, '--poll-seconds', '0', ...flags], env);
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
      const id = res.headers.get('x-request-id');
      const line = `${app.stdout()}${app.stderr()}`.split('\n').find((l) => l.includes('"message":"request"'));
      if (logged) {
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 'info', requestId: id, method: 'GET', route: '/healthz', status: 200 });
      } else {
        expect(id).toBeNull();
        expect(line).toBeUndefined();
      }
      expect(await app.stop()).toBe(0);
    }
  }, 60_000);

  it('refuses a named key file that is not there instead of serving without auth', async () => {
    const missing = path.join(root, 'typo-keys.json');
    const res = await run(['serve', '--port', '0', '--home', home, '--api-keys', missing]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`[SERVING_CONFIG_INVALID] API key file ${missing} does not exist`);
  }, 60_000);

  it('reads a variable set blank (VAR= in an env file) as unset, as HOST, PORT and MAILROUTE_HOME', async () => {
    // A blank MAILROUTE_API_KEYS_FILE named a key file "": --new-key failed to write it, serve found it missing.
    const keyHome = path.join(root, 'blank-keys');
    const made = await run(['serve', '--home', keyHome, '--new-key', 'crm'], { MAILROUTE_API_KEYS_FILE: '' });
    expect(made.code).toBe(0);
    expect(made.stderr).toContain(`stored hashed in ${path.join(keyHome, 'api-keys.json')}`);
    const empty = path.join(root, 'blank-empty');
    const served = await run(['serve', '--port', '0', '--home', empty], { MAILROUTE_API_KEYS_FILE: ' ' });
    expect(served.stderr).toContain('[REGISTRY_NOT_APPROVED] There is no model to serve');
    // A blank SM_MODEL_DIR served the registry's champion, not the container's /opt/ml/model (none here, but in the image).
    if (existsSync('/opt/ml/model')) return;
    const container = await run(['serve', '--sagemaker', '--port', '0', '--home', empty], { SM_MODEL_DIR: '' });
    expect(container.code).toBe(1);
    expect(container.stderr).toBe('mailroute: [MODEL_LOAD_FAILED] There is no model in /opt/ml/model: no such directory (give the directory of a model artifact).\n');
  }, 60_000);

  it('takes MAILROUTE_SAGEMAKER as 1, true, yes or on (any case), 0, false, no or off, and refuses any other value (exit 2)', async () => {
    const mode = (value: string) => listenAddress(createContext({ cwd: root, env: { MAILROUTE_SAGEMAKER: value } }), {});
    for (const on of ['1', 'true', 'TRUE', 'Yes', ' yes ', 'On']) expect([on, mode(on)]).toEqual([on, expect.objectContaining({ sagemaker: true, host: '0.0.0.0' })]);
    for (const off of ['0', 'false', 'No', '', ' ', 'OFF']) expect([off, mode(off)]).toEqual([off, expect.objectContaining({ sagemaker: false, host: '127.0.0.1' })]);
    // `true` is the container's mode: its model directory is read (none here), not the registry's champion.
    const empty = path.join(root, 'sagemaker-true');
    const container = await run(['serve', '--port', '0', '--home', empty], { MAILROUTE_SAGEMAKER: 'true', SM_MODEL_DIR: path.join(empty, 'model'), HOST: '127.0.0.1' });
    expect([container.code, container.stderr]).toEqual([1, expect.stringContaining(`[MODEL_LOAD_FAILED] There is no model in ${path.join(empty, 'model')}`)]);
    // Any other value is refused before any work, naming the values taken.
    const bad = await run(['serve', '--port', '0', '--home', empty], { MAILROUTE_SAGEMAKER: 'maybe' });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('MAILROUTE_SAGEMAKER is on with 1, true, yes or on, off with 0, false, no or off (in any case), not "maybe"')]);
  }, 60_000);

  it('reads and writes --api-keys relative to the command\'s folder, as --home', async () => {
    const cwd = path.join(root, 'relative-keys');
    await mkdir(cwd);
    // Where it was written before: the process's folder (the repository root under npm test). Only looked at, never
    // deleted: a keys.json there may be a developer's own. The test's files go with root in afterAll.
    const processFolderKeys = path.resolve('keys.json');
    const hadProcessFolderKeys = existsSync(processFolderKeys);
    const made = await runCli(['serve', '--home', 'home', '--new-key', 'crm', '--api-keys', 'keys.json'], { env: {}, cwd });
    expect(made.code).toBe(0);
    expect(existsSync(path.join(cwd, 'keys.json'))).toBe(true);
    expect(made.stderr).toContain(`stored hashed in ${path.join(cwd, 'keys.json')}`);
    if (!hadProcessFolderKeys) expect(existsSync(processFolderKeys), `written to ${processFolderKeys}`).toBe(false);
  });

  it('refuses a public host without keys (exit 2) and bad flags (exit 2)', async () => {
    const open = await run(['serve', '--host', '0.0.0.0', '--port', '0', '--home', home]);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('refusing to listen on 0.0.0.0 without API keys');
    expect(`${open.stdout}${open.stderr}`).not.toContain('model loaded'); // refused before loading the model
    // `start` refuses before it trains and approves a demo model in an empty home.
    const fresh = path.join(root, 'fresh-home');
    const started = await run(['start', '--host', '0.0.0.0', '--port', '0', '--home', fresh]);
    expect(started.code).toBe(2);
    expect(started.stderr).toContain('refusing to listen on 0.0.0.0 without API keys');
    expect(existsSync(path.join(fresh, 'registry.json'))).toBe(false);
    // Whole numbers in plain digits only, said in one line the same way for every option and variable: Number()
    // would take hex, exponents and blanks around the digits.
    for (const port of ['eighty', '1.8e4', '0x1f90', ' 8080', '1.5']) {
      const bad = await run(['serve', '--port', port]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(`mailroute: --port must be an integer from 0 to 65535 in plain digits, got "${port}"\n(run with --help for usage)\n`);
    }
    for (const value of ['abc', '1e3', '0x10']) {
      const badEnv = await run(['serve', '--home', home], { PORT: value });
      expect(badEnv.code).toBe(2);
      expect(badEnv.stderr).toContain(`PORT must be an integer from 0 to 65535 in plain digits, got "${value}"`);
    }
    const badStartEnv = await run(['start', '--home', path.join(root, 'fresh-home')], { PORT: '1e3' });
    expect(badStartEnv.code).toBe(2);
    expect(badStartEnv.stderr).toContain('PORT must be an integer from 0 to 65535 in plain digits, got "1e3"');
    const noConnections = await run(['serve', '--max-connections', '0']);
    expect(noConnections.code).toBe(2);
    expect(noConnections.stderr).toContain('--max-connections must be an integer from 1 to 1000000 in plain digits, got "0"');
    expect((await run(['serve', '--timeout-ms', '1e4'])).stderr).toContain('--timeout-ms must be an integer from 1 to 600000 in plain digits, got "1e4"');
    const badConnections = await run(['serve', '--port', '0', '--home', home], { MAILROUTE_MAX_CONNECTIONS: '1e3' });
    expect(badConnections.code).toBe(2);
    expect(badConnections.stderr).toContain('MAILROUTE_MAX_CONNECTIONS must be an integer from 1 to 1000000 in plain digits, got "1e3"');
    expect(`${badConnections.stdout}${badConnections.stderr}`).not.toContain('model loaded');
    const badZone = await run(['serve', '--port', '0', '--home', home, '--time-zone', 'Europe/Berlinn']);
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toContain('--time-zone "Europe/Berlinn" is not a time zone this runtime knows: give an IANA name such as Europe/Berlin or UTC');
    const badZoneEnv = await run(['start', '--port', '0', '--home', home], { MAILROUTE_TIME_ZONE: 'MEZ' });
    expect(badZoneEnv.code).toBe(2);
    expect(badZoneEnv.stderr).toContain('MAILROUTE_TIME_ZONE "MEZ" is not a time zone');
  }, 60_000);

  it('fails in one coded line when there is no model', async () => {
    const res = await run(['serve', '--port', '0', '--home', path.join(root, 'empty')]);
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1); // said once: not also as a log line
    // Nothing failed to load: the registry's code, as start says it (MODEL_LOAD_FAILED is a model that would not load).
    // An empty registry has nothing to approve: the way out is to train one (or the demo model).
    expect(lines.at(-1)).toBe(
      `mailroute: [REGISTRY_NOT_APPROVED] There is no model to serve: the registry at ${path.join(root, 'empty')} has no model version yet; train one (mailroute train --data <export>, then mailroute registry approve <id>) or, for the demo model, run mailroute start (npm start); or serve a model directory with --model-dir.`,
    );
    expect(res.stderr).not.toMatch(/approve a version|approve one/i);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    const dir = path.join(root, 'no-model-here');
    const noDir = await run(['serve', '--port', '0', '--home', path.join(root, 'empty'), '--model-dir', dir]);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain(`[MODEL_LOAD_FAILED] There is no model in ${dir}: no such directory`);
    expect(noDir.stderr.trim().split('\n')).toHaveLength(1);
    // A directory that is there, without a manifest: said so.
    mkdirSync(dir);
    const noManifest = await run(['serve', '--port', '0', '--home', path.join(root, 'empty'), '--model-dir', dir]);
    expect(noManifest.stderr).toContain(`[MODEL_LOAD_FAILED] There is no model in ${dir}: it has no manifest.json`);
    // A file named as the directory: said so, not "Loading model ? failed: ENOTDIR: not a directory, open ...".
    const file = path.join(root, 'model.onnx');
    await writeFile(file, '');
    const aFile = await run(['serve', '--port', '0', '--home', path.join(root, 'empty'), '--model-dir', file]);
    expect(aFile.code).toBe(1);
    expect(aFile.stderr).toBe(`mailroute: [MODEL_LOAD_FAILED] There is no model in ${file}: it is a file, not a directory (give the directory of a model artifact).\n`);
  }, 60_000);

  it('names the way to a champion for a registry with versions but none, as start does', async () => {
    const [modelId] = await readdir(path.join(home, 'models'));
    const noChampion = path.join(root, 'no-champion');
    const registry = createLocalRegistry({ home: noChampion });
    await registry.register(path.join(home, 'models', modelId));
    await registry.approve(modelId, { by: 'tester', promote: false });
    const res = await run(['serve', '--port', '0', '--home', noChampion]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    // Approved but not champion: `registry champion <id>` serves it (approve <id> would say it is Approved already).
    expect(res.stderr).toContain(`has 1 version(s) but no champion (0 waiting for approval); 1 version(s) are Approved but none is the champion: make one champion (mailroute registry champion ${modelId}, the newest Approved); or serve a model directory with --model-dir.`);
    // The same registry gives start and serve the same code and the same way out, each with its own last resort.
    const wayOut = `There is no model to serve: the registry at ${noChampion} has 1 version(s) but no champion (0 waiting for approval); 1 version(s) are Approved but none is the champion: make one champion (mailroute registry champion ${modelId}, the newest Approved); or`;
    expect(res.stderr).toBe(`mailroute: [REGISTRY_NOT_APPROVED] ${wayOut} serve a model directory with --model-dir.\n`);
    const started = await run(['start', '--port', '0', '--home', noChampion]);
    expect(started.code).toBe(1);
    expect(started.stderr).toBe(`mailroute: [REGISTRY_NOT_APPROVED] ${wayOut} point MAILROUTE_HOME (start --home) at an empty folder to train and serve the demo model.\n`);
  }, 60_000);

  it('refuses a bad MAILROUTE_MAX_CONNECTIONS or a missing key file before training the demo model', async () => {
    const fresh = path.join(root, 'fresh-start');
    const badEnv = await run(['start', '--port', '0', '--home', fresh], { MAILROUTE_MAX_CONNECTIONS: 'abc' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('MAILROUTE_MAX_CONNECTIONS');
    const noKeys = await run(['start', '--port', '0', '--home', fresh, '--api-keys', path.join(root, 'no-such-keys.json')]);
    expect(noKeys.code).toBe(1);
    expect(noKeys.stderr).toContain('[SERVING_CONFIG_INVALID]');
    // Nothing was trained or approved.
    expect(existsSync(path.join(fresh, 'models'))).toBe(false);
  }, 60_000);

  it('names the way back when the champion does not load (a damaged artifact)', async () => {
    const [modelId] = await readdir(path.join(home, 'models'));
    const damaged = path.join(root, 'damaged');
    const registry = createLocalRegistry({ home: damaged });
    await registry.register(path.join(home, 'models', modelId));
    await registry.approve(modelId, { by: 'tester' });
    await writeFile(path.join(damaged, 'models', modelId, 'model.onnx'), 'not a model');
    const res = await run(['serve', '--port', '0', '--home', damaged]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^mailroute: \[MODEL_LOAD_FAILED\] /);
    // A file that changed after registration: the model is fine, its copy is not. Restoring it comes first; rejecting
    // the only Approved version would leave nothing to serve (REGISTRY_NOT_APPROVED at the next start), and is said so.
    const restore = `The champion ${modelId} does not load: its files are not the ones registered (a sha256 that does not match, or a file missing, means it changed after registration: a disk fault, an edit, a copy cut short). Restore ${path.join(damaged, 'models', modelId)} from a backup and start again; without one, `;
    // Rejecting the champion needs --note: the command named is one that runs.
    const reject = `mailroute registry reject ${modelId} --note "<why>"`;
    expect(res.stderr).toContain(`${restore}no other version would take over (mailroute registry history shows the earlier champions), so rejecting it (${reject}) leaves no model to serve: first train and approve another (mailroute train, then mailroute registry approve <id>), then start again.`);
    // Another version, pending: approving it is the way.
    const copy = async (id: string) => {
      const source = path.join(root, id);
      await cp(path.join(home, 'models', modelId), source, { recursive: true });
      const manifestFile = path.join(source, 'manifest.json');
      await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(await readFile(manifestFile, 'utf8')), modelId: id }));
      await registry.register(source);
    };
    await copy('other-model-1');
    const pending = await run(['serve', '--port', '0', '--home', damaged]);
    expect(pending.stderr).toContain(`${restore}no other version would take over (mailroute registry history shows the earlier champions), so rejecting it (${reject}) leaves no model to serve: first approve another (mailroute registry approve other-model-1, which makes it the champion), then start again.`);
    // Approved but never champion: what a rejection would make champion, not offered as a way back.
    await registry.approve('other-model-1', { by: 'tester', promote: false });
    const approved = await run(['serve', '--port', '0', '--home', damaged]);
    expect(approved.stderr).toContain(`${restore}no earlier champion is Approved (mailroute registry history shows the earlier champions); rejecting this one (${reject}) makes other-model-1 champion, an Approved version that has not served before: check it first (mailroute registry show other-model-1), then start again.`);
    // A previous champion (other-model-1 served before the damaged one was made champion again), and a newer Approved
    // version that never served: the way back is the previous champion, as a rejection rolls back to it.
    const onnx = path.join(damaged, 'models', modelId, 'model.onnx');
    await cp(path.join(home, 'models', modelId, 'model.onnx'), onnx);
    await registry.setChampion('other-model-1', { by: 'tester' });
    await registry.setChampion(modelId, { by: 'tester' });
    await writeFile(onnx, 'not a model');
    await copy('other-model-2');
    await registry.approve('other-model-2', { by: 'tester', promote: false });
    const back = await run(['serve', '--port', '0', '--home', damaged]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain(
      `${restore}roll back to the previous champion other-model-1: reject this one (${reject}, which makes other-model-1 champion again), or make other-model-1 champion and keep this one Approved (mailroute registry champion other-model-1 --note "<why>"), then start again.`,
    );
    // The command named runs, and does what it says.
    const rejected = await run(['registry', 'reject', modelId, '--note', 'damaged artifact'], { MAILROUTE_HOME: damaged });
    expect(rejected.code, rejected.stderr).toBe(0);
    expect((await registry.champion())?.id).toBe('other-model-1');
  }, 60_000);

  it('names --home in the advice on a home that is a file only where the command takes it, and as given', async () => {
    const file = path.join(root, 'home-is-a-file');
    await writeFile(file, 'not a folder');
    const byOption = await run(['serve', '--port', '0', '--home', file]);
    expect([byOption.code, byOption.stderr]).toEqual([1, `mailroute: [REGISTRY_HOME_NOT_DIRECTORY] --home ${file} is a file, not a directory: point --home at a directory, or move the file away\n`]);
    const byEnv = await run(['serve', '--port', '0'], { MAILROUTE_HOME: file });
    expect([byEnv.code, byEnv.stderr]).toEqual([1, `mailroute: [REGISTRY_HOME_NOT_DIRECTORY] MAILROUTE_HOME=${file} is a file, not a directory: point MAILROUTE_HOME (or --home) at a directory, or move the file away\n`]);
    const started = await run(['start', '--port', '0', '--home', path.join(file, 'sub')]);
    expect(started.stderr).toBe(`mailroute: [REGISTRY_HOME_NOT_DIRECTORY] --home ${path.join(file, 'sub')} lies under a file, not a directory (${file}): point --home at a directory, or move the file away\n`);
    // registry and runs take no --home: not told to give one.
    for (const argv of [['registry', 'list'], ['runs', 'list']]) {
      const res = await run(argv, { MAILROUTE_HOME: file });
      expect([res.code, res.stderr], argv.join(' ')).toEqual([1, `mailroute: [REGISTRY_HOME_NOT_DIRECTORY] MAILROUTE_HOME=${file} is a file, not a directory: point MAILROUTE_HOME at a directory, or move the file away\n`]);
    }
  });

  it('logs JSON lines whose own keys no field can overwrite', () => {
    const err = captureStream();
    const logger = lineLogger(createContext({ stderr: err.stream }));
    logger.error('model load failed', { modelId: 'm1', message: 'bad manifest', level: 'x' });
    const line = JSON.parse(err.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', message: 'model load failed', modelId: 'm1', field_message: 'bad manifest', field_level: 'x' });
  });

  it('runs the SageMaker contract as the container does: `serve` with the Dockerfile environment', async () => {
    const modelsDir = path.join(home, 'models');
    const [modelId] = await readdir(modelsDir);
    // A key file left in the container's home is not read: SageMaker's runtime sends no API key.
    expect((await run(['serve', '--home', path.join(root, 'sm'), '--new-key', 'left-over'])).code).toBe(0);
    // The Dockerfile sets MAILROUTE_SAGEMAKER, SM_MODEL_DIR, MAILROUTE_HOME and PORT; HOST only keeps the test on loopback.
    const app = await launch(['serve'], {
      MAILROUTE_SAGEMAKER: '1',
      SM_MODEL_DIR: path.join(modelsDir, modelId),
      MAILROUTE_HOME: path.join(root, 'sm'),
      // SageMaker's own port variable wins in SageMaker mode (PORT, unusable here, is not read).
      SAGEMAKER_BIND_TO_PORT: '0',
      PORT: 'not-a-port',
      HOST: '127.0.0.1',
      // What the registry sets on the model package: the artifact's own id passes.
      MAILROUTE_MODEL_ID: modelId,
    });
    expect(app.stdout()).toContain('auth: none in the container (the SageMaker runtime authenticates callers with IAM)');
    expect(app.stdout()).toContain(`sagemaker GET ${app.url}/ping   POST ${app.url}/invocations`);
    expect((await fetch(`${app.url}/ping`)).status).toBe(200);
    const ok = await fetch(`${app.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails: [{ body: 'Hallo' }] }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { modelId: string }).modelId).toBe(modelId);
    const csv = await fetch(`${app.url}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(csv.status).toBe(415);
    // It answers JSON only: a caller asking for another type is told so (SageMaker passes Accept on).
    const wantsCsv = await fetch(`${app.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/csv' }, body: JSON.stringify({ emails: [{ body: 'Hallo' }] }) });
    expect(wantsCsv.status).toBe(406);
    expect(((await wantsCsv.json()) as { code: string }).code).toBe('NOT_ACCEPTABLE');
    const anyType = await fetch(`${app.url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json;q=0.9, */*;q=0.1' }, body: JSON.stringify({ emails: [{ body: 'Hallo' }] }) });
    expect(anyType.status).toBe(200);
    // It keeps no predictions (the API Lambda records them): feedback and quality are refused, saying so.
    const feedback = await fetch(`${app.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailId: 'crm-1', labels: { queue: 'x' }, closedAt: '2026-01-01T00:00:00Z' }) });
    expect([feedback.status, ((await feedback.json()) as { code: string }).code]).toEqual([404, 'PREDICTIONS_NOT_KEPT']);
    expect(((await (await fetch(`${app.url}/v1/quality`)).json()) as { code: string }).code).toBe('PREDICTIONS_NOT_KEPT');
    expect(await app.stop()).toBe(0);
    // No SQLite file was made: nothing would read it.
    expect((await readdir(path.join(root, 'sm'))).filter((f) => f.startsWith('mailroute.db'))).toEqual([]);
    // The store's options would do nothing there: refused before the model loads.
    const stored = await run(['serve', '--sagemaker', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--store-text', '--retention-days', '3']);
    expect([stored.code, stored.stderr]).toEqual([2, expect.stringContaining('--store-text, --retention-days do not go with --sagemaker (MAILROUTE_SAGEMAKER=1): the container keeps no predictions')]);
    // A key file named for the container is refused: every invocation would be.
    const named = await run(['serve', '--sagemaker', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--api-keys', path.join(root, 'sm', 'api-keys.json')]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('does not go with --sagemaker');
    // Options that would do nothing with the others: refused as usage errors, naming why.
    const polled = await run(['serve', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--poll-seconds', '5']);
    expect([polled.code, polled.stderr]).toEqual([2, expect.stringContaining('--poll-seconds does not go with a model directory')]);
    const inline = await run(['serve', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--model-threads', '0', '--inline-emails', '8']);
    expect([inline.code, inline.stderr]).toEqual([2, expect.stringContaining('--inline-emails does not go with --model-threads 0')]);
    const patterns = await run(['serve', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--pii-patterns', 'refs.json']);
    expect([patterns.code, patterns.stderr]).toEqual([2, expect.stringContaining('--pii-patterns goes only with --store-text')]);
    // A model package whose artifact is another model's: the container refuses to start (and never passes /ping).
    const wrong = await run(['serve', '--sagemaker', '--model-dir', path.join(modelsDir, modelId), '--home', path.join(root, 'sm'), '--host', '127.0.0.1', '--port', '0'], { MAILROUTE_MODEL_ID: 'another-model' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`holds model ${modelId}, not another-model (MAILROUTE_MODEL_ID)`);
  }, 60_000);
});
