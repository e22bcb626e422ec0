import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore, DB_FILE, maskPii } from '@mailroute/serving';
import { DEMO_CONFIG_PATH, generateDemoRows, loadDataset, loadTrainingConfig, writeDemoData } from '@mailroute/training';
import { afterAll, describe, expect, it } from 'vitest';
import { demoChampionFolder, runCli } from '../test-support.js';
import { timeOption } from '../time-option.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-feedback-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const home = path.join(cwd, 'home');
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd, home });

/**
 * A store as a server with --store-text leaves it: 40 demo emails classified, 30 of them confirmed (every third without
 * text; fb-3 answered as an automatic reply).
 */
async function servedStore(): Promise<void> {
  const rows = generateDemoRows({ rows: 40, seed: 11 });
  const now = Date.now();
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline' });
  try {
    await store.savePredictions(
      rows.map((r, i) => ({
        predictionId: `p-${i}`,
        emailId: `fb-${i}`,
        modelId: 'ngram-bag-served',
        createdAt: new Date(now - 3_600_000).toISOString(),
        labels: { queue: 'payments_transfers' },
        confidences: { queue: 0.5 },
        abstained: { queue: false },
        queue: 'payments_transfers',
        latencyMs: 1,
        ...(i === 3 ? { automated: 'auto_reply' } : {}),
        // As the server keeps them with the text; fb-4 as a server before data version 2 did (text only).
        ...(i % 3 === 2 ? {} : { text: `${r.subject}\n\n${r.body}`, ...(i === 4 ? {} : { bank: r.bank, receivedAt: r.receivedAt }) }),
      })),
    );
    for (const [i, r] of rows.slice(0, 30).entries()) {
      await store.saveFeedback({ emailId: `fb-${i}`, labels: { business_area: r.business_area, queue: r.queue, ...(i % 2 === 0 ? { topic: r.topic } : {}), ...(i === 0 ? { priority: 'high' } : {}) }, closedAt: new Date(now - 60_000).toISOString(), receivedAt: new Date(now).toISOString() });
    }
  } finally {
    await store.close();
  }
}

describe('mailroute feedback export', () => {
  it("writes the confirmed cases with text in a training config's columns, which train reads beside an export", async () => {
    await servedStore();
    const exported = await run(['feedback', 'export', '--out', 'cases.csv', '--config', DEMO_CONFIG_PATH]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^wrote 19 confirmed cases to cases\.csv \(columns of .*demo-config\.json\)/);
    expect(exported.stderr).toContain('note: 1 of 30 confirmed cases are automated mail (auto-replies, bounces: no customer wrote them) and are left out');
    expect(exported.stderr).toContain("note: 10 of 30 confirmed cases have a prediction kept without the email's text (the server ran without --store-text) and are left out");
    expect(exported.stderr).toContain('labels of tasks the training config does not have are left out: priority (1)');
    const csv = readFileSync(path.join(cwd, 'cases.csv'), 'utf8');
    // Customers' text: owner-only, as mailroute.db.
    expect(statSync(path.join(cwd, 'cases.csv')).mode & 0o777).toBe(0o600);
    expect(csv.slice(0, csv.indexOf('\n'))).toBe('id,subject,body,html,bank,receivedAt,from,business_area,queue,topic,closedAt,classifiedAt,modelId,predictionId');
    // Trained on, with the demo export, by the same config: the cases' rows are read, a task left blank masked.
    await writeDemoData(path.join(cwd, 'demo.csv'), { rows: 300, seed: 2 });
    const trained = await run(['train', '--config', DEMO_CONFIG_PATH, '--data', 'demo.csv', 'cases.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/data \w+: 319 row\(s\) read, 319 used/);

    const labels = await run(['feedback', 'export', '--out', 'labels.csv', '--config', DEMO_CONFIG_PATH, '--labels-only']);
    expect(labels.stdout).toMatch(/^wrote 29 confirmed cases/);
    const lines = readFileSync(path.join(cwd, 'labels.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('id,business_area,queue,topic,closedAt,classifiedAt,modelId,predictionId');
    expect(lines).toHaveLength(30);
    expect(lines.some((l) => l.startsWith('fb-3,'))).toBe(false);

    // A config that reads ";"-separated files, or JSONL, gets a file it reads back: train takes it.
    const demo = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(cwd, 'semi.json'), JSON.stringify({ ...demo, delimiter: ';' }));
    writeFileSync(path.join(cwd, 'lines.json'), JSON.stringify({ ...demo, format: 'jsonl' }));
    expect((await run(['feedback', 'export', '--out', 'semi.csv', '--config', 'semi.json'])).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'semi.csv'), 'utf8')).toMatch(/^id;subject;body;/);
    expect((await run(['feedback', 'export', '--out', 'cases.jsonl', '--config', 'lines.json'])).code).toBe(0);
    const rowsOf = async (config: string, data: string) => (await loadDataset(path.join(cwd, data), await loadTrainingConfig(path.resolve(cwd, config)), { keepUnlabelled: true })).rows.map((r) => ({ id: r.id, email: r.email, labels: r.labels }));
    const asCsv = await rowsOf(DEMO_CONFIG_PATH, 'cases.csv');
    expect(asCsv).toHaveLength(19);
    expect(asCsv.some((r) => r.id === 'fb-3')).toBe(false);
    // Stored unmasked here, as by an older version's masking: the file has the text as this version masks it.
    const second = generateDemoRows({ rows: 40, seed: 11 })[1];
    const storedText = `${second.subject}\n\n${second.body}`;
    expect(storedText).toContain('DE57 7253 9361 0623 5090 52');
    expect(asCsv.find((r) => r.id === 'fb-1')?.email.body).toBe(maskPii(storedText));
    expect(csv).not.toContain('DE57 7253 9361');
    // The email's bank (a meta token of the model's input) and receivedAt, as the CRM sent them; without them, the time it was classified.
    expect(asCsv.find((r) => r.id === 'fb-1')?.email).toMatchObject({ bank: second.bank, receivedAt: second.receivedAt });
    expect(second.bank).not.toBe('');
    const withoutFields = asCsv.find((r) => r.id === 'fb-4')?.email;
    expect(withoutFields?.bank).toBeUndefined();
    expect(Math.abs(Date.parse(withoutFields?.receivedAt ?? '') - (Date.now() - 3_600_000))).toBeLessThan(60_000);
    expect(await rowsOf('semi.json', 'semi.csv')).toEqual(asCsv);
    expect(await rowsOf('lines.json', 'cases.jsonl')).toEqual(asCsv);
    expect((await run(['feedback', 'export', '--out', 'x.csv', '--config', 'lines.json'])).stderr).toContain('reads every file as JSONL ("format": "jsonl"): name the file .jsonl');

    // --pii-patterns: the institution's own patterns masked in the text too (here a date written as the demo writes them).
    writeFileSync(path.join(cwd, 'dates.json'), JSON.stringify({ patterns: [{ type: 'DAY', pattern: String.raw`\b\d{1,2} (?:september|oktober)\b`, flags: 'i' }] }));
    expect((await run(['feedback', 'export', '--out', 'masked.csv', '--config', DEMO_CONFIG_PATH, '--pii-patterns', 'dates.json'])).code).toBe(0);
    const masked = await rowsOf(DEMO_CONFIG_PATH, 'masked.csv');
    expect(storedText).toContain('My withdrawal from 28 September still');
    expect(masked.find((r) => r.id === 'fb-1')?.email.body).toContain('My withdrawal from [DAY] still');
    expect(masked.find((r) => r.id === 'fb-1')?.email.body).toBe(maskPii(storedText, [], [{ type: 'DAY', pattern: String.raw`\b\d{1,2} (?:september|oktober)\b`, flags: 'i' }]));
    const noText = await run(['feedback', 'export', '--out', 'x.csv', '--config', DEMO_CONFIG_PATH, '--labels-only', '--pii-patterns', 'dates.json']);
    expect([noText.code, noText.stderr]).toEqual([2, expect.stringContaining('--pii-patterns does not go with --labels-only')]);

    const later = await run(['feedback', 'export', '--out', 'none.csv', '--config', DEMO_CONFIG_PATH, '--since', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)]);
    expect(later.stdout).toMatch(/^wrote 0 confirmed cases/);
    expect(later.stderr).toContain('no case closed in this window');
  }, 120_000);

  it('writes a label column two tasks read once, with the label both read (a coarse task over the queue, through aliases)', async () => {
    const own = path.join(cwd, 'grouped-home');
    const now = Date.now();
    const store = createSqliteStore({ file: path.join(own, DB_FILE), writer: 'inline' });
    try {
      const confirmed: Array<Record<string, string>> = [{ queue: 'tax_documents' }, { queue_group: 'money' }, { queue: 'payments_transfers', queue_group: 'money' }];
      for (const [i, labels] of confirmed.entries()) {
        await store.saveFeedback({ emailId: `g-${i}`, labels, closedAt: new Date(now - 60_000).toISOString(), receivedAt: new Date(now).toISOString() });
      }
    } finally {
      await store.close();
    }
    const config = {
      columns: { id: 'id', body: 'body' },
      tasks: [
        { name: 'queue', labels: ['tax_documents', 'payments_transfers'] },
        { name: 'queue_group', column: 'queue', labels: ['money', 'paperwork'], aliases: { payments_transfers: 'money', tax_documents: 'paperwork' } },
      ],
    };
    writeFileSync(path.join(cwd, 'grouped.json'), JSON.stringify(config));
    const exported = await runCli(['feedback', 'export', '--out', 'grouped.csv', '--config', 'grouped.json', '--labels-only'], { env: { CI: 'true' }, cwd, home: own });
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(path.join(cwd, 'grouped.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('id,queue,closedAt,classifiedAt,modelId,predictionId');
    // The queue's label, which the group reads too; the group's alone ("money") is no queue, so blank.
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['g-0,tax_documents', 'g-1,', 'g-2,payments_transfers']);
  });

  it("writes the attachment names a server kept with the text in the config's attachmentNames column, as training reads them back (CSV and JSONL)", async () => {
    const own = path.join(cwd, 'attachments-home');
    const now = Date.now();
    const kept = [['Vollmacht [NAME].pdf', 'Auszug; Nov|2026.pdf'], undefined];
    const store = createSqliteStore({ file: path.join(own, DB_FILE), writer: 'inline' });
    try {
      for (const [i, names] of kept.entries()) {
        const at = new Date(now - 3_600_000).toISOString();
        await store.savePredictions([{ predictionId: `a-p-${i}`, emailId: `a-${i}`, modelId: 'm', createdAt: at, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1, text: 'Anbei die Unterlagen.', ...(names ? { attachmentNames: names } : {}) }]);
        await store.saveFeedback({ emailId: `a-${i}`, labels: { queue: 'kyc' }, closedAt: new Date(now - 60_000).toISOString(), receivedAt: new Date(now).toISOString() });
      }
    } finally {
      await store.close();
    }
    const config = { columns: { id: 'id', body: 'body', attachmentNames: 'attachments' }, tasks: [{ name: 'queue', labels: ['kyc', 'payments'] }] };
    writeFileSync(path.join(cwd, 'attachments.json'), JSON.stringify(config));
    writeFileSync(path.join(cwd, 'attachments-lines.json'), JSON.stringify({ ...config, format: 'jsonl' }));
    for (const [configFile, out] of [['attachments.json', 'attachments.csv'], ['attachments-lines.json', 'attachments.jsonl']]) {
      const exported = await runCli(['feedback', 'export', '--out', out, '--config', configFile], { env: { CI: 'true' }, cwd, home: own });
      expect(exported.code, exported.stderr).toBe(0);
      const { rows } = await loadDataset(path.join(cwd, out), await loadTrainingConfig(path.join(cwd, configFile)));
      expect(rows.map((r) => [r.id, r.email.attachmentNames])).toEqual([
        ['a-0', ['Vollmacht [NAME].pdf', 'Auszug; Nov|2026.pdf']],
        ['a-1', undefined],
      ]);
    }
    expect(readFileSync(path.join(cwd, 'attachments.csv'), 'utf8').split('\n')[0]).toBe('id,body,attachments,queue,closedAt,classifiedAt,modelId,predictionId');
  });

  it('refuses what it cannot do before writing: no champion to take the config from, two configs, a bad time, another file type', async () => {
    const noChampion = await run(['feedback', 'export', '--out', 'x.csv']);
    expect(noChampion.code).toBe(1);
    expect(noChampion.stderr).toMatch(/champion/);
    expect((await run(['feedback', 'export', '--out', 'x.csv', '--config', DEMO_CONFIG_PATH, '--model', 'champion'])).stderr).toContain('give --config or --model, not both');
    expect((await run(['feedback', 'export', '--out', 'x.txt', '--config', DEMO_CONFIG_PATH])).stderr).toContain('the file must end in .csv, or .jsonl / .ndjson');
    // `-`: said as predict and evaluate say it (only clean writes to standard output), not as a file without an extension.
    const dash = await run(['feedback', 'export', '--out', '-', '--config', DEMO_CONFIG_PATH]);
    expect([dash.code, dash.stderr]).toEqual([2, 'mailroute: --out -: this command writes a file, not standard output (only mailroute clean writes to it): name one\n(run with --help for usage)\n']);
    expect((await run(['feedback', 'export', '--out', 'x.csv', '--config', DEMO_CONFIG_PATH, '--since', '2026-12-01', '--until', '2026-11-01'])).stderr).toContain('is not before --until');
  });

  it("reads --since and --until in --time-zone, else the config's timeZone, else the server's MAILROUTE_TIME_ZONE, else UTC, and says the window it read", async () => {
    const own = path.join(cwd, 'zoned-home');
    const store = createSqliteStore({ file: path.join(own, DB_FILE), writer: 'inline' });
    try {
      // Closed at midnight in Berlin on 1 December (a Berlin server stores it as 23:00 UTC on 30 November), and at noon before.
      await store.saveFeedback({ emailId: 'z-dec', labels: { queue: 'kyc' }, closedAt: '2026-11-30T23:00:00.000Z', receivedAt: '2026-11-30T22:00:00.000Z' });
      await store.saveFeedback({ emailId: 'z-nov', labels: { queue: 'kyc' }, closedAt: '2026-11-30T11:00:00.000Z', receivedAt: '2026-11-30T10:00:00.000Z' });
    } finally {
      await store.close();
    }
    const config = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue', labels: ['kyc', 'payments'] }] };
    writeFileSync(path.join(cwd, 'zoned.json'), JSON.stringify(config));
    writeFileSync(path.join(cwd, 'zoned-utc.json'), JSON.stringify({ ...config, timeZone: 'UTC' }));
    const exportOf = async (extra: string[], env: Record<string, string> = {}) => {
      const argv = ['feedback', 'export', '--out', 'zoned.csv', '--labels-only', '--since', '2026-12-01', '--until', '2026-12-07', ...extra];
      const result = await runCli(argv, { env: { CI: 'true', ...env }, cwd, home: own });
      expect(result.code, result.stderr).toBe(0);
      const ids = readFileSync(path.join(cwd, 'zoned.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
      return { ids, line: result.stderr.split('\n')[0] };
    };
    expect(await exportOf(['--config', 'zoned.json', '--time-zone', 'Europe/Berlin'])).toEqual({ ids: ['z-dec'], line: 'cases closed in [2026-11-30T23:00:00.000Z, 2026-12-06T23:00:00.000Z) (Europe/Berlin, from --time-zone)' });
    // The server's zone, when the config names none.
    expect(await exportOf(['--config', 'zoned.json'], { MAILROUTE_TIME_ZONE: 'Europe/Berlin' })).toEqual({ ids: ['z-dec'], line: 'cases closed in [2026-11-30T23:00:00.000Z, 2026-12-06T23:00:00.000Z) (Europe/Berlin, from MAILROUTE_TIME_ZONE)' });
    // The config's zone wins over the environment's, as before; --time-zone over both.
    expect(await exportOf(['--config', 'zoned-utc.json'], { MAILROUTE_TIME_ZONE: 'Europe/Berlin' })).toEqual({ ids: [], line: 'cases closed in [2026-12-01T00:00:00.000Z, 2026-12-07T00:00:00.000Z) (UTC, from the timeZone of zoned-utc.json)' });
    expect((await exportOf(['--config', 'zoned-utc.json', '--time-zone', 'Europe/Berlin'])).ids).toEqual(['z-dec']);
    expect(await exportOf(['--config', 'zoned.json'])).toEqual({ ids: [], line: 'cases closed in [2026-12-01T00:00:00.000Z, 2026-12-07T00:00:00.000Z) (UTC, by default)' });
    const misspelt = await runCli(['feedback', 'export', '--out', 'zoned.csv', '--config', 'zoned.json', '--time-zone', 'Europe/Berln'], { env: { CI: 'true' }, cwd, home: own });
    expect([misspelt.code, misspelt.stderr.split('\n')[0]]).toEqual([2, 'mailroute: --time-zone "Europe/Berln" is not a time zone this runtime knows: give an IANA name such as Europe/Berlin or UTC']);
  });

  it("reads --since and --until as the API reads times, UTC without a zone or in the config's timeZone, and refuses days that do not exist", () => {
    expect(timeOption('--since', '2026-11-01').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(timeOption('--since', '2026-11-01T08:30').toISOString()).toBe('2026-11-01T08:30:00.000Z');
    expect(timeOption('--since', '2026-11-01T08:30:00+01:00').toISOString()).toBe('2026-11-01T07:30:00.000Z');
    expect(timeOption('--since', '2026-11-01 08:30+0100').toISOString()).toBe('2026-11-01T07:30:00.000Z');
    // A Berlin month: from its midnight, not from 01:00.
    expect(timeOption('--since', '2026-11-01', 'Europe/Berlin').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(() => timeOption('--until', '2026-10-25 02:30', 'Europe/Berlin')).toThrow(/happens twice \(the clocks go back then\): give its offset, 2026-10-25T02:30:00\+02:00 \(the first\) or 2026-10-25T02:30:00\+01:00/);
    for (const bad of ['2026-02-30', '2026-02-30T08:00Z', '2026-13-01', '1.11.2026', 'yesterday', '2026-11-01T25:00']) expect(() => timeOption('--since', bad)).toThrow(/not a date or time/);
  });
});

// The CRM still sends its old name `kyc`, which the champion's config read as `onboarding_kyc`; month 4's config
// renamed that `kyc_onboarding` and dropped the alias of `kyc`.
describe('mailroute feedback export of labels stored under an old name', () => {
  const folder = demoChampionFolder('mailroute-cli-feedback-names-', 1);

  it('writes them under the name they were read as, so a config without the old alias trains on them', async () => {
    const now = Date.now();
    const store = createSqliteStore({ file: path.join(folder.home, DB_FILE), writer: 'inline' });
    try {
      for (const [i, label] of ['kyc', 'onboarding_kyc', 'payments_transfers'].entries()) {
        const at = new Date(now - 3_600_000).toISOString();
        await store.savePredictions([{ predictionId: `n-p-${i}`, emailId: `n-${i}`, modelId: folder.champion.id, createdAt: at, labels: { queue: 'onboarding_kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'onboarding_kyc', latencyMs: 1, text: 'Anbei mein Ausweis für die Kontoeröffnung.' }]);
        await store.saveFeedback({ emailId: `n-${i}`, labels: { queue: label }, closedAt: new Date(now - 60_000).toISOString(), receivedAt: new Date(now).toISOString() });
      }
    } finally {
      await store.close();
    }
    const demo = await loadTrainingConfig(DEMO_CONFIG_PATH);
    // minCount 1: three rows read back as they are, not merged into other as rare.
    const tasks = demo.tasks.map((t) =>
      t.name === 'queue' ? { ...t, minCount: 1, labels: t.labels?.map((l) => (l === 'onboarding_kyc' ? 'kyc_onboarding' : l)), aliases: { payments: 'payments_transfers', onboarding_kyc: 'kyc_onboarding' } } : { ...t, minCount: 1 },
    );
    writeFileSync(path.join(folder.dir, 'month4.json'), JSON.stringify({ ...demo, tasks }));
    const exported = await folder.run(['feedback', 'export', '--out', 'cases.csv', '--config', 'month4.json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('written under the name they are read as');
    expect(exported.stderr).toMatch(/queue: onboarding_kyc -> kyc_onboarding \(1\), queue: kyc -> kyc_onboarding \(1\)|queue: kyc -> kyc_onboarding \(1\), queue: onboarding_kyc -> kyc_onboarding \(1\)/);
    // Read by month 4's config, which knows no `kyc`: no bad row.
    const { rows } = await loadDataset(path.join(folder.dir, 'cases.csv'), await loadTrainingConfig(path.join(folder.dir, 'month4.json')));
    expect(rows.map((r) => [r.id, r.labels.queue])).toEqual([
      ['n-0', 'kyc_onboarding'],
      ['n-1', 'kyc_onboarding'],
      ['n-2', 'payments_transfers'],
    ]);
  }, 180_000);
});
