import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore, DB_FILE, type ConfirmedCase } from '@mailroute/serving';
import { loadDataset, loadTrainingConfig, parseTrainingConfig } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { newExportWatch, unreadLabelWarnings, watchCases } from './feedback-unread.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-feedback-unread-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const home = path.join(cwd, 'home');
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd, home });

// The champion's config: no custody_transfers, which a newer model (later rejected) split off securities_transfers.
const championConfig = {
  columns: { id: 'id', body: 'body' },
  tasks: [
    { name: 'queue', labels: ['payments_transfers', 'securities_transfers'] },
    { name: 'topic', labels: ['depotuebertrag', 'sepa_transfer'], retired: ['paper_statements'] },
  ],
};

/**
 * A store of a server with --store-text: 3 cases confirmed custody_transfers on the newer model's predictions, 2 read
 * by the champion's config (one under the retired paper_statements); one closed on a prediction kept without text,
 * one on a prediction kept with an empty text (an email without text), and one whose feedback never matched a
 * prediction (an email never classified here).
 */
beforeAll(async () => {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const closedAt = new Date(Date.now() - 60_000).toISOString();
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline' });
  try {
    const depot = 'Bitte übertragen Sie mein Depot.';
    const cases: Array<[string, Record<string, string>, string | undefined]> = [
      ['c-1', { queue: 'custody_transfers', topic: 'depotuebertrag' }, depot],
      ['c-2', { queue: 'custody_transfers' }, depot],
      ['c-3', { queue: 'custody_transfers', topic: 'depotuebertrag' }, depot],
      ['c-4', { queue: 'payments_transfers', topic: 'sepa_transfer' }, depot],
      ['c-5', { queue: 'payments_transfers', topic: 'paper_statements' }, depot],
      ['c-6', { queue: 'payments_transfers' }, undefined],
      ['c-7', { queue: 'payments_transfers' }, ''],
    ];
    for (const [id, labels, text] of cases) {
      await store.savePredictions([
        { predictionId: `p-${id}`, emailId: id, modelId: 'ngram-bag-newer', createdAt: at, labels: { queue: 'custody_transfers' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'custody_transfers', latencyMs: 1, ...(text === undefined ? {} : { text }) },
      ]);
      await store.saveFeedback({ emailId: id, labels, closedAt, receivedAt: closedAt });
    }
    await store.saveFeedback({ emailId: 'never-classified', labels: { queue: 'payments_transfers' }, closedAt, receivedAt: closedAt });
  } finally {
    await store.close();
  }
  writeFileSync(path.join(cwd, 'champ-cfg.json'), JSON.stringify(championConfig));
});

describe('mailroute feedback export of labels the training config cannot read', () => {
  it('warns per task with the count, the labels and what to do, as training then refuses those rows', async () => {
    const exported = await run(['feedback', 'export', '--out', 'cases.csv', '--config', 'champ-cfg.json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^wrote 5 confirmed cases to cases\.csv/);
    expect(exported.stderr).toContain(
      'warning: 3 confirmed queue labels written are not in the queue taxonomy of champ-cfg.json (labels another model\'s taxonomy has: added, split off or dropped in between): custody_transfers (3); `mailroute train` with this config refuses each row with one (DATASET_ROW_INVALID): add aliases to champ-cfg.json (e.g. "aliases": {"custody_transfers": "<the queue label it is now>"} in task queue) and export again, or export with --config (or --model) of a model whose queue taxonomy has them\n',
    );
    // The topic's labels are all read (paper_statements as retired: masked): no warning of the topic.
    expect(exported.stderr).not.toMatch(/confirmed topic label/);
    const config = await loadTrainingConfig(path.join(cwd, 'champ-cfg.json'));
    await expect(loadDataset(path.join(cwd, 'cases.csv'), config)).rejects.toMatchObject({ code: 'DATASET_ROW_INVALID', problems: expect.arrayContaining([expect.stringContaining('label "custody_transfers" is not in the queue taxonomy')]) });

    // With the alias the warning says to add, the same cases are read and no warning is given.
    const aliased = { ...championConfig, tasks: [{ ...championConfig.tasks[0], aliases: { custody_transfers: 'securities_transfers' } }, championConfig.tasks[1]] };
    writeFileSync(path.join(cwd, 'aliased.json'), JSON.stringify(aliased));
    const again = await run(['feedback', 'export', '--out', 'aliased.csv', '--config', 'aliased.json']);
    expect(again.stderr).not.toContain('warning:');
    expect((await loadDataset(path.join(cwd, 'aliased.csv'), await loadTrainingConfig(path.join(cwd, 'aliased.json')))).rows).toHaveLength(5);
  });

  it('names the model whose predictions they were confirmed on when its training config knows them, and the config stored in a model otherwise', async () => {
    const config = parseTrainingConfig(championConfig);
    const watch = newExportWatch();
    const cases: ConfirmedCase[] = [
      { emailId: 'a', labels: { queue: 'custody_transfers' }, closedAt: '2026-12-01T10:00:00.000Z', modelId: 'ngram-bag-newer', predictionId: 'p-a', text: 'x' },
      { emailId: 'b', labels: { queue: 'custody_transfers', topic: 'kyc_documents' }, closedAt: '2026-12-01T10:00:00.000Z', modelId: 'ngram-bag-newer', predictionId: 'p-b', text: 'x' },
      { emailId: 'c', labels: { queue: 'wertpapierkredit' }, closedAt: '2026-12-01T10:00:00.000Z', modelId: 'ngram-bag-other', predictionId: 'p-c', text: 'x' },
    ];
    expect([...(watchCases(cases, false, watch) as Iterable<ConfirmedCase>)]).toEqual(cases);
    const newer = [
      { name: 'queue', labels: ['payments_transfers', 'securities_transfers', 'custody_transfers'] },
      { name: 'topic', labels: ['depotuebertrag', 'sepa_transfer', 'kyc_documents'] },
    ];
    const warnings = await unreadLabelWarnings(watch, config, 'the training config of ngram-bag-champion', undefined, async (id) => (id === 'ngram-bag-newer' ? newer : undefined));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^3 confirmed queue labels written are not in the queue taxonomy of the training config of ngram-bag-champion .*: custody_transfers \(2\), wertpapierkredit \(1\); `mailroute train` with this config refuses each row with one \(DATASET_ROW_INVALID\): map them with aliases in a training config \(e\.g\. "aliases": \{"custody_transfers": "<the queue label it is now>"\} in task queue\) and export with --config <that file>, or export with --model ngram-bag-newer \(the model whose predictions they were confirmed on; its training config knows custody_transfers\)$/,
      ),
      expect.stringMatching(/^1 confirmed topic label written is not in the topic taxonomy/),
    ]);
    expect(warnings[1]).toContain('kyc_documents (1)');
    expect(warnings[1]).toContain('its training config knows them)');
  });
});

describe('the reasons the feedback commands give for a case left out', () => {
  it('tells a prediction kept without text from no prediction kept, and says the latter alike in export and predictions', async () => {
    const exported = await run(['feedback', 'export', '--out', 'reasons.csv', '--config', 'champ-cfg.json']);
    expect(exported.stderr).toContain("note: 1 of 8 confirmed cases have a prediction kept without the email's text (the server ran without --store-text) and are left out: --labels-only writes");
    // An email without text, kept by a server with --store-text, is not said to come from a server without it.
    expect(exported.stderr).toContain("note: 1 of 8 confirmed cases have a prediction kept with the email's text, which is empty (the email had no subject or body text, or none left once cleaned), and are left out: --labels-only writes");
    const noPrediction =
      "no prediction of the email is kept: it was never classified here (its feedback was answered matched: false: another instance's email, or a mistyped emailId), its prediction was not stored (answered while the store could not write: a full, read-only or failing disk; the server's mailroute_store_write_failures_total counts those), or it is gone after the store's retention";
    expect(exported.stderr).toContain(`note: 1 of 8 confirmed cases have no text to write and are left out: ${noPrediction}; --labels-only writes`);
    expect(exported.stderr).not.toContain('no stored text');
    const lines = await run(['feedback', 'predictions', '--out', 'live.jsonl']);
    expect(lines.code, lines.stderr).toBe(0);
    expect(lines.stderr).toContain(`note: 1 of 8 confirmed cases are left out: ${noPrediction}\n`);
  });
});
