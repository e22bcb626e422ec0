import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset, loadDemoConfig } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';


function run(argv: string[], cwd: string) {
  return runCli(argv, { cwd, home: path.join(cwd, '.mailroute') });
}

describe('mailroute demo-data', () => {
  it('writes the synthetic dataset deterministically', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    const a = await run(['demo-data', '--out', 'a.csv', '--rows', '150', '--seed', '3'], cwd);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('wrote 150 synthetic emails to a.csv');
    await run(['demo-data', '--out', 'b.csv', '--rows', '150', '--seed', '3'], cwd);
    const text = readFileSync(path.join(cwd, 'a.csv'), 'utf8');
    expect(text.startsWith('id,subject,body,html,from,bank,receivedAt,language,business_area,queue,topic\n')).toBe(true);
    expect(readFileSync(path.join(cwd, 'b.csv'), 'utf8')).toBe(text);
    expect((await run(['demo-data', '--out', 'one.csv', '--rows', '1'], cwd)).stdout).toContain('wrote 1 synthetic email to one.csv');
  });

  it('gives the rows of each seed ids of their own, so two seeds trained together are not taken for copies; the default seed keeps its ids', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    expect((await run(['demo-data', '--out', 'one.csv', '--rows', '150', '--seed', '1'], cwd)).code).toBe(0);
    expect((await run(['demo-data', '--out', 'two.csv', '--rows', '150', '--seed', '2'], cwd)).code).toBe(0);
    expect((await run(['demo-data', '--out', 'default.jsonl', '--rows', '150'], cwd)).code).toBe(0);
    const ids = async (file: string) => (await loadDataset(path.join(cwd, file), await loadDemoConfig())).rows.map((r) => r.id);
    expect((await ids('one.csv')).slice(0, 2)).toEqual(['demo-s1-000001', 'demo-s1-000002']);
    expect((await ids('default.jsonl')).slice(0, 2)).toEqual(['demo-000001', 'demo-000002']);
    const one = new Set(await ids('one.csv'));
    expect((await ids('two.csv')).filter((id) => one.has(id))).toEqual([]);
    const config = { ...(await loadDemoConfig()), model: { epochs: 1, dim: 8, buckets: 4096, charNgrams: [0, 0] } };
    writeFileSync(path.join(cwd, 'small.json'), JSON.stringify(config));
    const trained = await run(['train', '--config', 'small.json', '--data', 'one.csv', 'two.csv', 'default.jsonl'], cwd);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).not.toContain('carried by several rows');
  }, 60_000);

  it('refuses a bad --rows with exit code 2 and needs --out', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    const bad = await run(['demo-data', '--out', 'x.csv', '--rows', 'many'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rows must be an integer');
    // Plain digits only: Number() would read 0x10 as 16, 1e2 as 100 and " 5" as 5.
    for (const [flag, value] of [['--rows', '0x10'], ['--rows', ' 5'], ['--rows', '1e1'], ['--seed', '1e2'], ['--seed', '-1']]) {
      const odd = await run(['demo-data', '--out', 'x.csv', flag, value], cwd);
      expect(odd.code).toBe(2);
      expect(odd.stderr).toBe(`mailroute: ${flag} must be an integer from ${flag === '--rows' ? '1 to 500000' : '0 to 4294967295'} in plain digits, got "${value}"\n(run with --help for usage)\n`);
    }
    expect(existsSync(path.join(cwd, 'x.csv'))).toBe(false);
    expect((await run(['demo-data'], cwd)).code).toBe(2);
    // `-`: said as predict and evaluate say it (only clean writes to standard output), not as a file without an extension.
    const dash = await run(['demo-data', '--out', '-'], cwd);
    expect([dash.code, dash.stderr]).toEqual([2, 'mailroute: --out -: this command writes a file, not standard output (only mailroute clean writes to it): name one\n(run with --help for usage)\n']);
    expect(existsSync(path.join(cwd, '-'))).toBe(false);
    // Past the largest: more rows than one string holds (it ran for minutes, then failed or ran out of memory), and
    // seeds past 32 bits, which gave the file of a smaller seed (4294967296 that of 0). Said before --out is looked at.
    const many = await run(['demo-data', '--out', 'x.txt', '--rows', '500001'], cwd);
    expect(many.code).toBe(2);
    expect(many.stderr.split('\n')[0]).toBe('mailroute: --rows must be an integer from 1 to 500000 in plain digits, got "500001"');
    const seed = await run(['demo-data', '--out', 'x.txt', '--seed', '4294967296'], cwd);
    expect(seed.stderr.split('\n')[0]).toBe('mailroute: --seed must be an integer from 0 to 4294967295 in plain digits, got "4294967296"');
    const txt = await run(['demo-data', '--out', 'x.txt'], cwd);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toContain('the file must end in .csv, .jsonl or .ndjson');
  });

  it('writes JSONL for the names training reads as JSONL (.jsonl, .ndjson, in any case)', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    for (const name of ['a.ndjson', 'b.JSONL']) {
      const res = await run(['demo-data', '--out', name, '--rows', '20'], cwd);
      expect(res.code).toBe(0);
      const lines = readFileSync(path.join(cwd, name), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(20);
      expect(JSON.parse(lines[0])).toMatchObject({ id: expect.any(String), queue: expect.any(String) });
    }
  });
});

describe('mailroute demo-data --out that cannot be written', () => {
  it('says what is wrong with --out (exit code 1, OUTPUT_PATH_INVALID), not a raw ENOENT', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    // A link to a file in a folder that does not exist: its own folder takes files, the file behind it cannot be made.
    symlinkSync(path.join(cwd, 'missing', 'x.csv'), path.join(cwd, 'link.csv'));
    const res = await run(['demo-data', '--out', 'link.csv', '--rows', '5'], cwd);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toBe('mailroute: [OUTPUT_PATH_INVALID] --out link.csv: cannot write it (no file can be created there)\n');
  });
});

// /proc is Linux's: a folder that exists but takes no file. Elsewhere (macOS, Windows) there is none to write into.
const hasProc = existsSync('/proc/self');
if (!hasProc) console.warn('skipping the demo-data tests of an --out under /proc: there is no /proc (Linux only)');

describe.skipIf(!hasProc)('mailroute demo-data, --out under /proc (skipped where there is no /proc: Linux only)', () => {
  // /proc takes no new files, not even root's: the file cannot be made though its folder exists.
  it('says so before any work for a folder that takes no file (/proc), predict as well', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    const demo = await run(['demo-data', '--out', '/proc/x.csv', '--rows', '5'], cwd);
    expect(demo.code, demo.stderr).toBe(1);
    expect(demo.stderr).toBe('mailroute: [OUTPUT_PATH_INVALID] --out /proc/x.csv: cannot write it (no file can be created there)\n');
    // Refused before the model is looked for, not after the whole set is predicted.
    const predict = await run(['predict', '--model', './no-model', '--data', 'x.csv', '--out', '/proc/p.jsonl'], cwd);
    expect(predict.code, predict.stderr).toBe(1);
    expect(predict.stderr).toBe('mailroute: [OUTPUT_PATH_INVALID] --out /proc/p.jsonl: cannot write it (no file can be created there)\n');
  });

  // mkdir's `recursive` never returned for a folder under /proc: the command hung, spinning a core.
  it('says so for a folder that cannot be made under /proc, at once', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-demo-'));
    writeFileSync(path.join(cwd, 'preds.jsonl'), '{"id":"a","modelId":"m","truth":{"queue":"x"},"prediction":{"queue":{"label":"x","confidence":0.9}}}\n');
    const demo = await run(['demo-data', '--out', '/proc/sub/x.csv', '--rows', '5'], cwd);
    expect(demo.code, demo.stderr).toBe(1);
    expect(demo.stderr).toBe('mailroute: [OUTPUT_PATH_INVALID] --out /proc/sub/x.csv: cannot create its folder (no file can be created there)\n');
    const report = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', '/proc/report'], cwd);
    expect(report.code, report.stderr).toBe(1);
    expect(report.stderr).toBe('mailroute: [OUTPUT_PATH_INVALID] --out /proc/report: cannot create its folder (no file can be created there)\n');
  }, 15_000);
});
