import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvaluationReportSchema, formatPredictionLines, syntheticPredictionLines } from '@mailroute/evaluation';
import { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { main } from '../main.js';
import { captureStream, runCli } from '../test-support.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


function run(argv: string[]) {
  return runCli(argv, { env: { CI: 'true' }, cwd: dir });
}

const lines = syntheticPredictionLines({ n: 300, seed: 2, tasks: { queue: ['payments', 'cards', 'loans', 'fraud'], topic: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, meta: { language: ['de', 'en'] } });
writeFileSync(path.join(dir, 'preds.jsonl'), formatPredictionLines(lines));

describe('mailroute evaluate', () => {
  it('writes metrics.json, the reports and the pictures', async () => {
    const { code, stdout, stderr } = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'report', '--no-png']);
    expect(stderr).toContain('evaluate: 100%');
    // 100% is said once every file is written (report.html is the last), not while pictures are still rendered.
    expect(stderr).toMatch(/evaluate: 100% \(4\/4\) report\.html\n/);
    expect(code).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'report/metrics.json'), 'utf8')));
    expect(report.tasks.map((t) => t.task)).toEqual(['queue', 'topic']);
    expect(stdout).toContain(report.tasks[0].metrics.macro.f1.toFixed(4));
    for (const f of ['report.txt', 'report.md', 'report.html', 'model-card.md', 'pictures/queue-confusion.svg', 'pictures/topic-reliability.svg']) {
      expect(readFileSync(path.join(dir, 'report', f), 'utf8').length).toBeGreaterThan(100);
    }
    // The directory reused: an earlier report's stray picture and predictions do not stay beside the new one,
    // while a predictions file read from that very directory is kept.
    writeFileSync(path.join(dir, 'report/pictures/other-task-confusion.svg'), '<svg/>');
    writeFileSync(path.join(dir, 'report/predictions.jsonl'), readFileSync(path.join(dir, 'preds.jsonl')));
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'report', '--no-png'])).code).toBe(0);
    expect(existsSync(path.join(dir, 'report/pictures/other-task-confusion.svg'))).toBe(false);
    expect(existsSync(path.join(dir, 'report/predictions.jsonl'))).toBe(false);
    writeFileSync(path.join(dir, 'report/predictions.jsonl'), readFileSync(path.join(dir, 'preds.jsonl')));
    expect((await run(['evaluate', '--predictions', 'report/predictions.jsonl', '--out', 'report', '--no-png'])).code).toBe(0);
    expect(existsSync(path.join(dir, 'report/predictions.jsonl'))).toBe(true);
    // The same file through a link to the folder is the same file: kept.
    symlinkSync(path.join(dir, 'report'), path.join(dir, 'report-link'));
    expect((await run(['evaluate', '--predictions', 'report-link/predictions.jsonl', '--out', 'report', '--no-png'])).code).toBe(0);
    expect(existsSync(path.join(dir, 'report/predictions.jsonl'))).toBe(true);
    // A file read from inside an entry the report replaces (pictures/) is refused, not deleted with the old pictures.
    writeFileSync(path.join(dir, 'report/pictures/preds.jsonl'), readFileSync(path.join(dir, 'preds.jsonl')));
    const refused = await run(['evaluate', '--predictions', 'report/pictures/preds.jsonl', '--out', 'report', '--no-png']);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('its pictures would be replaced, and that is (or holds)')]);
    expect(existsSync(path.join(dir, 'report/pictures/preds.jsonl'))).toBe(true);
    // A file of the user's in pictures/ (no report wrote it) is not deleted with the folder: refused, nothing written.
    rmSync(path.join(dir, 'report/pictures/preds.jsonl'));
    writeFileSync(path.join(dir, 'report/pictures/holiday.jpg'), 'jpeg');
    const mine = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'report', '--no-png']);
    expect([mine.code, mine.stderr]).toEqual([2, expect.stringContaining('its pictures/ would be replaced whole, and it holds files no earlier report wrote (holiday.jpg)')]);
    expect(readFileSync(path.join(dir, 'report/pictures/holiday.jpg'), 'utf8')).toBe('jpeg');
    rmSync(path.join(dir, 'report/pictures/holiday.jpg'));
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'report', '--no-png'])).code).toBe(0);
  });

  it('prints the figures rounded as the reports round them: 29 of 32 right is 0.9062 in the terminal and in report.md', async () => {
    const tie = Array.from({ length: 32 }, (_, i) => ({ id: `t${i}`, truth: { queue: i < 16 ? 'a' : 'b' }, prediction: { queue: { label: i < 3 ? 'b' : i < 16 ? 'a' : 'b' } } }));
    writeFileSync(path.join(dir, 'tie.jsonl'), formatPredictionLines(tie));
    const { code, stdout } = await run(['evaluate', '--predictions', 'tie.jsonl', '--out', 'tie-report', '--no-png']);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'tie-report/report.md'), 'utf8')).toContain('| queue | 32 | 2 | 0.9062 |');
    expect(stdout).toMatch(/queue\s+32\s+0\.9062\s/);
    expect(stdout).not.toContain('0.9063');
  });

  it('takes each --top-k value and --slice-by key once: a repeated one gave metrics.json and the reports two rows of it', async () => {
    const { code } = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'top-k', '--no-png', '--top-k', '3,3,1,03', '--slice-by', 'language, language']);
    expect(code).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'top-k/metrics.json'), 'utf8')));
    expect(report.tasks[0].topK.map((t) => t.k)).toEqual([3, 1]);
    expect(report.tasks[0].slices.map((s) => s.key)).toEqual(['language']);
  });

  it('refuses the flags that read --data with --predictions, --config too, instead of ignoring them', async () => {
    for (const flag of [['--config', 'cfg.json'], ['--on-bad-row', 'skip']]) {
      const res = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'ignored', '--no-png', ...flag]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--config, --on-bad-row and --delimiter go with --model and --data');
      expect(existsSync(path.join(dir, 'ignored'))).toBe(false);
    }
  });

  it('leaves an earlier report and its predictions as they were when it fails', async () => {
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'kept', '--no-png'])).code).toBe(0);
    // As `evaluate --model` leaves it: the predictions beside the report, for compare and later evaluations.
    writeFileSync(path.join(dir, 'kept/predictions.jsonl'), readFileSync(path.join(dir, 'preds.jsonl')));
    const before = readFileSync(path.join(dir, 'kept/metrics.json'), 'utf8');
    // A misspelt predictions file, a slice key no line has: nothing of the earlier report goes.
    expect((await run(['evaluate', '--predictions', 'kept/predictons.jsonl', '--out', 'kept', '--no-png'])).code).toBe(1);
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'kept', '--no-png', '--slice-by', 'nope'])).code).toBe(1);
    expect(existsSync(path.join(dir, 'kept/predictions.jsonl'))).toBe(true);
    expect(existsSync(path.join(dir, 'kept/pictures/queue-confusion.svg'))).toBe(true);
    expect(readFileSync(path.join(dir, 'kept/metrics.json'), 'utf8')).toBe(before);
  });

  it('leaves an earlier report whole when Ctrl-C or a failure comes half-way through writing the new one', async () => {
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'half', '--no-png'])).code).toBe(0);
    writeFileSync(path.join(dir, 'half/predictions.jsonl'), 'kept\n');
    writeFileSync(path.join(dir, 'half/notes.txt'), 'mine');
    const snapshot = () => readdirSync(path.join(dir, 'half'), { recursive: true }).map((f) => [String(f), statSync(path.join(dir, 'half', String(f))).mtimeMs]).sort();
    const before = snapshot();
    // Another test set: every file of the new report would differ. At 75% the pictures are being written.
    const other = syntheticPredictionLines({ n: 200, seed: 5, tasks: { queue: ['payments', 'cards'], topic: ['a', 'b'] } });
    writeFileSync(path.join(dir, 'other.jsonl'), formatPredictionLines(other));
    for (const inject of ['interrupt', 'fail'] as const) {
      const signals = new EventEmitter();
      // The progress line at 75% is where the failure is injected: Ctrl-C, or a write that throws.
      const stderr = Object.assign(captureStream().stream, {
        write(chunk: unknown) {
          if (!String(chunk).includes('evaluate: 75%')) return true;
          if (inject === 'fail') throw new Error('disk full');
          signals.emit('SIGINT');
          return true;
        },
      });
      const ctx = createContext({ env: { CI: 'true' }, cwd: dir, stdout: captureStream().stream, stderr, signals, exit: () => {} });
      const code = await main(['evaluate', '--predictions', 'other.jsonl', '--out', 'half', '--no-png'], ctx);
      expect(code, inject).toBe(inject === 'interrupt' ? 130 : 1);
      expect(snapshot(), inject).toEqual(before);
    }
  });

  it('exits 2 on missing or contradictory flags', async () => {
    expect((await run(['evaluate', '--predictions', 'preds.jsonl'])).code).toBe(2);
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'x', '--bins', 'zero'])).stderr).toContain('--bins must be an integer');
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'x', '--bins', '100000'])).stderr).toContain('--bins must be an integer from 1 to 100 in plain digits, got "100000"');
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'x', '--bins', '1e1'])).stderr).toContain('--bins must be an integer from 1 to 100 in plain digits, got "1e1"');
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'x', '--top-k', '3,0x5'])).stderr).toContain('--top-k must be an integer >= 1 in plain digits, got "0x5"');
    const model = await run(['evaluate', '--model', 'm1', '--out', 'x']);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('--model and --data go together');
    expect((await run(['evaluate', '--model', 'm1', '--data', 't.csv', '--predictions', 'preds.jsonl', '--out', 'x'])).code).toBe(2);
  });

  it('exits 1 with one coded line on a bad prediction line', async () => {
    writeFileSync(path.join(dir, 'bad.jsonl'), `${formatPredictionLines(lines.slice(0, 2))}{"truth":{"queue":"a"},"prediction":{"queue":{}}}\n`);
    const { code, stderr } = await run(['evaluate', '--predictions', 'bad.jsonl', '--out', 'bad']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('[PREDICTION_LINE_INVALID] bad.jsonl:3:');
    expect((await run(['evaluate', '--predictions', 'missing.jsonl', '--out', 'bad'])).stderr).toContain('[PREDICTION_FILE_UNREADABLE] cannot read predictions missing.jsonl: no such file');
  });

  it('says a CSV given as --predictions is a data file, with the commands that read it, not only that its line 1 is not JSON', async () => {
    writeFileSync(path.join(dir, 'demo.csv'), 'id,subject,body,queue\n1,Hallo,Text,payments\n');
    const csv = await run(['evaluate', '--predictions', 'demo.csv', '--out', 'r']);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toBe(
      'mailroute: [PREDICTION_LINE_INVALID] demo.csv:1, column 1: not JSON: demo.csv looks like CSV (a data file), not prediction lines (JSONL, one object per line, as mailroute predict writes); to evaluate a model on it: `mailroute evaluate --model <id|champion> --data demo.csv --out r` (add --split test for the rows it held out, if it was trained on this file), or predict it first: `mailroute predict --model <id|champion> --data demo.csv --out predictions.jsonl`\n',
    );
    // Not named .csv, but a header split by semicolons: the same.
    writeFileSync(path.join(dir, 'semi.txt'), 'id;subject;body\n1;Hallo;Text\n');
    expect((await run(['evaluate', '--predictions', 'semi.txt', '--out', 'r'])).stderr).toContain('semi.txt looks like CSV');
    // compare names its own way to read it.
    const cmp = await run(['compare', '--challenger', 'demo.csv', '--champion', 'preds.jsonl']);
    expect(cmp.stderr).toContain('demo.csv looks like CSV (a data file), not prediction lines (JSONL, one object per line, as mailroute predict writes); to compare two models on it: `mailroute compare --challenger <id> --champion champion --data demo.csv`');
    // A broken JSON line stays a broken JSON line.
    writeFileSync(path.join(dir, 'broken.jsonl'), '{"id": 1,\n');
    expect((await run(['evaluate', '--predictions', 'broken.jsonl', '--out', 'r'])).stderr).not.toContain('looks like CSV');
  });

  it('warns on stderr and in metrics.json of what the lines leave unmeasured or count twice, and names the file it refuses', async () => {
    const ided = lines.slice(0, 40);
    // topic predicted but labelled on no line; queue unpredicted on 3 lines; the first 2 lines twice.
    const odd = [...ided, ...ided.slice(0, 2)].map((l, i) => ({ ...l, truth: { queue: l.truth.queue }, prediction: i < 3 ? { topic: l.prediction.topic } : l.prediction }));
    writeFileSync(path.join(dir, 'odd.jsonl'), formatPredictionLines(odd));
    const { code, stdout, stderr } = await run(['evaluate', '--predictions', 'odd.jsonl', '--out', 'odd', '--no-png']);
    expect(code, stderr).toBe(0);
    const expected = [
      'no line has a truth label for topic, which is predicted: not measured, and left out of every figure (an empty or missing label column?)',
      `2 ids are carried by more than one line (${ided[0].id}, ${ided[1].id}): 2 lines more than emails, each counting again in every figure (the same predictions given twice?)`,
      "lines with a truth label but no prediction are left out of their task's figures (the model or pipeline dropped them): queue 3 of 42 labelled lines",
    ];
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'odd/metrics.json'), 'utf8'))).warnings).toEqual(expected);
    for (const w of expected) {
      expect(stderr).toContain(`warning: ${w}\n`);
      expect(stdout).toContain(`warning: ${w}\n`);
    }
    // On a terminal (both streams one screen), each warning shows once: on stderr as it comes, not repeated under the figures.
    const out = captureStream();
    const err = captureStream();
    Object.assign(out.stream, { isTTY: true, columns: 100 });
    Object.assign(err.stream, { isTTY: true, columns: 100 });
    const tty = await main(['evaluate', '--predictions', 'odd.jsonl', '--out', 'odd-tty', '--no-png'], createContext({ env: {}, cwd: dir, stdout: out.stream, stderr: err.stream }));
    expect(tty, err.text()).toBe(0);
    for (const w of expected) {
      expect(err.text().split(`warning: ${w}\n`)).toHaveLength(2);
      expect(out.text()).not.toContain(w);
    }
    expect(out.text()).toContain('wrote ');
    // A task labelled but never predicted is refused, naming the file.
    writeFileSync(path.join(dir, 'unpredicted.jsonl'), formatPredictionLines(ided.map((l) => ({ ...l, truth: { ...l.truth, t2: 'x' } }))));
    const refused = await run(['evaluate', '--predictions', 'unpredicted.jsonl', '--out', 'unpredicted', '--no-png']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[METRIC_INPUT_INVALID] unpredicted.jsonl: task t2: no line has both a truth label and a prediction (40 lines have a label of it, none a prediction of it)');
  });

  it('creates no output folder when it fails before writing', async () => {
    const failing = [
      ['--predictions', 'bad.jsonl', '--out', 'none-1'],
      ['--predictions', 'named.jsonl', '--out', 'none-2/report', '--model-id', 'another-model'],
      ['--predictions', 'preds.jsonl', '--out', 'none-3', '--bins', '0'],
      ['--predictions', 'preds.jsonl', '--out', 'none-4', '--slice-by', 'nope'],
    ];
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"truth":\n');
    writeFileSync(path.join(dir, 'named.jsonl'), formatPredictionLines(lines.map((line) => ({ ...line, modelId: 'model-a' }))));
    for (const argv of failing) {
      const res = await run(['evaluate', ...argv, '--no-png']);
      expect(res.code, res.stderr).toBeGreaterThan(0);
      expect(existsSync(path.join(dir, argv[3].split('/')[0])), argv.join(' ')).toBe(false);
    }
    // The folder is still checked first: one under a file is refused before the predictions are read.
    const under = await run(['evaluate', '--predictions', 'missing.jsonl', '--out', 'preds.jsonl/report']);
    expect(under.stderr).toContain('[OUTPUT_PATH_INVALID] --out preds.jsonl/report: cannot create its folder (a file stands where a folder is needed)');
    // It is made, with its parents, when the report is written.
    expect((await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'made/report', '--no-png'])).code).toBe(0);
    expect(existsSync(path.join(dir, 'made/report/metrics.json'))).toBe(true);
  });
});
