import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { loadDemoConfig, readRun } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';

// `evaluate --model`: the model card traces the model back to its training run, its commit and its registry status.
const { dir, home, champion, run } = demoChampionFolder('mailroute-cli-card-', 100);

/** The model card `evaluate --model <ref>` writes to `out`. */
async function cardOf(ref: string, out: string): Promise<string> {
  const { code, stderr } = await run(['evaluate', '--model', ref, '--data', 'test.csv', '--out', out, '--no-png']);
  expect(code, stderr).toBe(0);
  return readFileSync(path.join(dir, out, 'model-card.md'), 'utf8');
}

/** The Code line the card gives for a run's record: its commit (null outside a git checkout) and whether the checkout had changes. */
function codeLine(record: { gitCommit: string | null; gitDirty?: boolean }): string {
  if (record.gitCommit === null) return '- Code: commit not recorded: trained outside a git checkout.';
  return `- Code: mailroute commit \`${record.gitCommit}\`${record.gitDirty === true ? ', **with uncommitted changes to tracked files**' : '.'}`;
}

describe('evaluate --model: the model card says where the model comes from', () => {
  it('names the training run, its commit and the registry status of a model just trained, of the champion, and none of a directory', async () => {
    // A model just trained is registered PendingManualApproval: the card says so, and that the status can change.
    const config = await loadDemoConfig();
    writeFileSync(path.join(dir, 'quick.json'), JSON.stringify({ ...config, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'quick.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const registry = createLocalRegistry({ home });
    const version = await registry.get(id);
    const runId = version.runId as string;
    expect(runId).toMatch(/^run-/);
    const record = await readRun(home, runId);
    const pending = await cardOf(id, 'pending');
    expect(pending).toMatch(
      new RegExp(`^# Model card: ${id}\n\nRegistry status when this card was written \\([^)]+\\): \\*\\*PendingManualApproval\\*\\*: not yet approved or rejected by anyone \\(version ${version.version}, registered ${version.createdAt}\\); not the champion\\. The status can change: the registry is the source of truth \\(\`mailroute registry show ${id}\`\\)\\.\n`),
    );
    expect(pending).toContain(`\n- Training run: \`${runId}\` (\`mailroute runs show ${runId}\`).\n`);
    expect(pending).toContain(`\n${codeLine(record)}`);

    // The champion, approved by the demo's bootstrap: who decided, when, and that it is the champion; its own run.
    const approved = await registry.get(champion.id);
    const championRun = await readRun(home, approved.runId as string);
    const card = await cardOf('champion', 'champion');
    expect(card).toContain(`: **Approved** by \`mailroute start\` at ${approved.statusChangedAt} (version ${approved.version}, registered ${approved.createdAt}); **the champion**. The status can change`);
    expect(card).toContain(`\n- Training run: \`${championRun.runId}\``);
    expect(card).toContain(`\n${codeLine(championRun)}`);

    // The same model given as a directory: its registry status and run are not read, and the card says so.
    cpSync(path.join(home, 'models', id), path.join(dir, 'copy'), { recursive: true });
    const copy = await cardOf('./copy', 'copy');
    expect(copy).toContain('\nRegistry status: not read: the model was given as a directory, not by its registry id');
    expect(copy).toContain('\n- Training run: not recorded.\n- Code: commit not recorded (no training run recorded).\n');
    expect(copy).not.toContain(runId);

    // Prediction lines name a model, not its run or standing: the card made from them says those are not known.
    const lines = await run(['evaluate', '--predictions', 'pending/predictions.jsonl', '--out', 'lines', '--no-png']);
    expect(lines.code, lines.stderr).toBe(0);
    const fromLines = readFileSync(path.join(dir, 'lines', 'model-card.md'), 'utf8');
    expect(fromLines).toContain('\nRegistry status: not read: this card was made from prediction lines, not from a model');
    expect(fromLines).toContain('\n- Training run and code: not known (prediction lines name no run).\n');
  }, 180_000);
});
