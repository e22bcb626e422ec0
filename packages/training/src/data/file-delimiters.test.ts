import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../config.js';
import { loadDemoConfig } from '../demo/demo-config.js';
import { trainFromConfig } from '../pipeline/train-from-config.js';
import { checkOneDelimiter, headerDelimiters } from './file-delimiters.js';

let dir: string;
let config: TrainingConfig;
const COLUMNS = ['id', 'subject', 'body', 'html', 'from', 'bank', 'receivedAt', 'business_area', 'queue', 'topic'];
const ROW = ['m1', 'Depot', 'Bitte Depot eröffnen, danke', '', 'a@example.com', 'Comdirect', '2026-01-05', 'brokerage', 'advisory', 'depot'];

/** A tiny export split by `delimiter` (the body holds a comma, quoted), written under the test folder. */
function csv(name: string, delimiter: string, before = ''): string {
  const quote = (v: string) => (v.includes(',') || v.includes(delimiter) ? `"${v}"` : v);
  const file = path.join(dir, name);
  writeFileSync(file, `${before}${COLUMNS.join(delimiter)}\n${ROW.map(quote).join(delimiter)}\n`);
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-delims-'));
  config = await loadDemoConfig();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headerDelimiters', () => {
  it('names the delimiters that give every configured column', async () => {
    expect(await headerDelimiters(csv('comma.csv', ','), config)).toEqual([',']);
    expect(await headerDelimiters(csv('semi.csv', ';'), config)).toEqual([';']);
    expect(await headerDelimiters(csv('tab.csv', '\t'), config)).toEqual(['\t']);
    expect(await headerDelimiters(csv('bom.csv', ';', '\uFEFF\n'), config)).toEqual([';']);
  });

  it('leaves out files no --delimiter changes: sep= lines, JSONL, a file not there', async () => {
    expect(await headerDelimiters(csv('excel.csv', ';', 'sep=;\n'), config)).toBeUndefined();
    writeFileSync(path.join(dir, 'rows.jsonl'), '{"id":"a"}\n');
    expect(await headerDelimiters(path.join(dir, 'rows.jsonl'), config)).toBeUndefined();
    expect(await headerDelimiters(path.join(dir, 'missing.csv'), config)).toBeUndefined();
  });

  it('finds none for a header that lacks a column whatever splits it', async () => {
    writeFileSync(path.join(dir, 'short.csv'), 'id,subject,body\na,b,c\n');
    expect(await headerDelimiters(path.join(dir, 'short.csv'), config)).toEqual([]);
  });
});

describe('headerDelimiters for emails to predict (text)', () => {
  it('needs one text column only, as predict reads a file', async () => {
    writeFileSync(path.join(dir, 'inbox.csv'), 'subject;body\nDepot;Bitte eröffnen\n');
    expect(await headerDelimiters(path.join(dir, 'inbox.csv'), config)).toEqual([]);
    expect(await headerDelimiters(path.join(dir, 'inbox.csv'), config, 'text')).toEqual([';']);
    writeFileSync(path.join(dir, 'no-text.csv'), 'id;queue\nm1;advisory\n');
    expect(await headerDelimiters(path.join(dir, 'no-text.csv'), config, 'text')).toEqual([]);
  });
});

describe('checkOneDelimiter', () => {
  it('refuses --data with "," and --test-data with ";", naming each and the ways out', async () => {
    const data = csv('train.csv', ',');
    const test = csv('test.csv', ';');
    const refused = checkOneDelimiter([{ file: data, flag: '--data' }, { file: test, flag: '--test-data' }], config);
    await expect(refused).rejects.toMatchObject({ code: 'DATASET_FILE_INVALID' });
    const { message } = (await refused.catch((e: Error) => e)) as Error;
    expect(message).toContain(`the files are split by different delimiters, --data ${data} by "," and --test-data ${test} by ";"`);
    expect(message).toContain(`save ${test} with "," as delimiter, or ${data} with ";"`);
    expect(message).toContain(`mailroute evaluate --model <id> --data ${test} --delimiter ";"`);
  });

  it('says it the other way round, and for two --data files (no evaluate hint: neither is a test file)', async () => {
    const semi = csv('train-semi.csv', ';');
    const tab = csv('test-tab.csv', '\t');
    await expect(checkOneDelimiter([{ file: semi, flag: '--data' }, { file: tab, flag: '--test-data' }], { ...config, delimiter: ';' })).rejects.toThrow(
      `--data ${semi} by ";" and --test-data ${tab} by tab`,
    );
    const refused = await checkOneDelimiter([{ file: csv('a.csv', ','), flag: '--data' }, { file: semi, flag: '--data' }], config).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/by "," and --data \S+train-semi\.csv by ";"/);
    expect((refused as Error).message).not.toContain('evaluate');
  });

  it('lets through files one delimiter reads, and those it cannot judge', async () => {
    const comma = csv('c1.csv', ',');
    const ok = (files: string[]) => checkOneDelimiter(files.map((file) => ({ file, flag: '--data' })), config);
    await expect(ok([comma, csv('c2.csv', ',')])).resolves.toBeUndefined();
    await expect(ok([comma, csv('excel2.csv', ';', 'sep=;\n')])).resolves.toBeUndefined();
    await expect(ok([comma, path.join(dir, 'short.csv')])).resolves.toBeUndefined();
  });
});

describe('trainFromConfig with files of two delimiters', () => {
  it('refuses before anything is read or a run recorded', async () => {
    const home = path.join(dir, 'home');
    const run = trainFromConfig({ config, dataPath: csv('t.csv', ','), testDataPath: csv('t-semi.csv', ';'), home });
    await expect(run).rejects.toThrow(/the files are split by different delimiters, --data \S+t\.csv by "," and --test-data \S+t-semi\.csv by ";"/);
    expect(existsSync(path.join(home, 'runs'))).toBe(false);
  });
});
