import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { modelCardMarkdown, testNearDuplicateWarning } from './model-card.js';
import type { ModelProvenance } from './model-card-provenance.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationMarkdown } from './report-text.js';

describe('modelCardMarkdown', () => {
  it('rounds its figures as the reports do (4 digits, ties to even): an exact 0.8125 stays 0.8125, not 0.813', () => {
    // 16 emails, 13 right: accuracy 13/16 = 0.8125 exactly, a tie at 3 digits; every email at confidence 0.8125.
    const lines: PredictionLine[] = Array.from({ length: 16 }, (_, i) => {
      const truth = i < 8 ? 'tax' : 'cards';
      // Emails 8, 9 and 10 (cards) read as tax: the three mistakes.
      return { truth: { queue: truth }, prediction: { queue: { label: i >= 8 && i < 11 ? 'tax' : truth, confidence: 0.8125 } } };
    });
    const report = evaluatePredictions(lines);
    expect(report.tasks[0].metrics.accuracy).toBe(0.8125);
    const card = modelCardMarkdown(report);
    const row = card.split('\n').find((l) => l.startsWith('| queue | 16 |'));
    expect(row).toMatch(/^\| queue \| 16 \| 0\.8125 \| \d\.\d{4} \| \d\.\d{4} \| /);
    expect(evaluationMarkdown(report)).toContain('Accuracy 0.8125');
    // The threshold that reaches 80% precision is the emails' confidence, 0.8125, with 3 digits as every report prints a threshold (ties to even).
    expect(card).toContain('| queue | 0.812: 100.0% (16) rough |');
    expect(card).not.toContain('0.813');
  });

  it('names the slice of emails without a value in words, not as the value "(missing)"', () => {
    // 20 emails from each of two banks, all right; 20 with no bank, a quarter wrong: far more than 0.05 apart.
    const lines: PredictionLine[] = Array.from({ length: 60 }, (_, i) => {
      const truth = i % 2 === 0 ? 'tax' : 'cards';
      const wrong = i >= 40 && i % 4 === 0;
      return {
        truth: { queue: truth },
        prediction: { queue: { label: wrong ? 'cards' : truth, confidence: 0.9 } },
        ...(i < 40 ? { meta: { bank: i < 20 ? 'Nordbank' : 'Suedbank' } } : {}),
      };
    });
    const card = modelCardMarkdown(evaluatePredictions(lines));
    const sentence = card.split('\n').find((l) => l.includes('By bank: macro-F1'));
    // `with no`, not `without a`: no article that a key's name (`Eingangskanal`, `Anliegen`) would have to agree with.
    expect(sentence).toMatch(/on the emails with no bank \(n=20\) against 1\.0000 on `Nordbank`/);
    expect(sentence).not.toContain('(missing)');
  });

  it("names the model's own tasks and the one that routes, and the catch-all `other` only where that task has it", () => {
    // A second institution's tasks and labels: no `other` among them (its CRM's catch-all is not aliased into it).
    const tasks = { Produkt: ['Hausrat & Haftpflicht', 'Kfz'], Anliegen: ['Schaden melden', 'Vertrag/Änderung'], Dringlichkeit: ['hoch', 'normal'], Kanal: ['E-Mail', 'Brief'] };
    const lines: PredictionLine[] = Array.from({ length: 8 }, (_, i) => {
      const truth = Object.fromEntries(Object.entries(tasks).map(([task, labels]) => [task, labels[i % 2]]));
      return { truth, prediction: Object.fromEntries(Object.entries(truth).map(([task, label]) => [task, { label, confidence: 0.9 }])) };
    });
    const routing = { queueTask: 'Produkt' };
    const card = modelCardMarkdown(evaluatePredictions(lines, { routing }));
    const use = card.slice(card.indexOf('## Intended use'), card.indexOf('## Data'));
    expect(use).toContain('predicts one label for each of its 4 tasks (`Produkt`, `Anliegen`, `Dringlichkeit`, `Kanal`) so the CRM can file each email in the right queue.');
    expect(use).toContain('An email goes to manual triage when its `Produkt` task, the one that names its queue, is below its confidence threshold; the other tasks only flag their abstention.');
    expect(card).not.toMatch(/business area|`other`/);
    // With `other` among the routing task's labels, its prediction is said to go to manual triage too.
    const withOther = lines.map((line, i) => (i === 0 ? { ...line, truth: { ...line.truth, Produkt: 'other' } } : line));
    expect(modelCardMarkdown(evaluatePredictions(withOther, { routing }))).toContain('its `Produkt` task, the one that names its queue, is below its confidence threshold (or predicts `other`);');
    // `other` in a task that does not route sends nothing to manual triage.
    const otherElsewhere = lines.map((line, i) => (i === 0 ? { ...line, truth: { ...line.truth, Kanal: 'other' } } : line));
    expect(modelCardMarkdown(evaluatePredictions(otherElsewhere, { routing }))).not.toContain('(or predicts `other`)');
  });

  it('says the other tasks only flag their abstention only when the model has tasks that do not route', () => {
    const line = (i: number, tasks: readonly string[]): PredictionLine => ({
      truth: Object.fromEntries(tasks.map((t) => [t, i % 2 === 0 ? 'a' : 'b'])),
      prediction: Object.fromEntries(tasks.map((t) => [t, { label: 'a', confidence: 0.9, abstained: i % 3 === 0 }])),
    });
    const report = (tasks: readonly string[], routing?: { queueTask: string; abstainTasks?: string[] }) =>
      modelCardMarkdown(evaluatePredictions(Array.from({ length: 12 }, (_, i) => line(i, tasks)), routing === undefined ? {} : { routing }));
    const flag = 'the other tasks only flag their abstention';
    // One task (a single-task intent model), with or without its routing known: no other tasks.
    expect(report(['intent'])).toContain('An email goes to manual triage when the task that names its queue is below its confidence threshold. It is an aid');
    expect(report(['intent'])).not.toContain(flag);
    expect(report(['intent'], { queueTask: 'intent' })).toContain('An email goes to manual triage when its `intent` task, the one that names its queue, abstains.');
    expect(report(['intent'], { queueTask: 'intent' })).not.toContain(flag);
    // Every other task's abstention sends mail to triage too: none only flags it.
    expect(report(['queue', 'topic'], { queueTask: 'queue', abstainTasks: ['topic'] })).not.toContain(flag);
    // Two tasks, one routing: the other only flags.
    expect(report(['queue', 'topic'])).toContain(`abstains; ${flag}.`);
    expect(report(['queue', 'topic'], { queueTask: 'queue' })).toContain(`the one that names its queue, abstains; ${flag}.`);
  });

  it("says how much of training's test split was worded as its training rows, and past half what that means for its figures", () => {
    const report = evaluatePredictions([{ truth: { queue: 'tax' }, prediction: { queue: { label: 'tax', confidence: 0.9 } } }]);
    const line = (near: number, judged: number) => modelCardMarkdown(report, { training: { testNearDuplicates: { near, judged } } }).split('\n').find((l) => l.startsWith('- Near-duplicates:'));
    expect(line(425, 799)).toBe("- Near-duplicates: 425 of the 799 test rows long enough to judge (53.2%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings). **Figures measured on that split (`train`'s, and this report's with `--split test`) likely overstate how the model does on mail worded anew**: measure on later mail or an independent file.");
    // The same, as the warning that heads a report measured on that split (report.md, report.html, metrics.json): past half only.
    expect(testNearDuplicateWarning({ near: 694, judged: 799 })).toBe(
      '694 of the 799 test rows long enough to judge (86.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings): the figures of this report, measured on that test split, likely overstate how the model does on mail worded anew; measure it on later mail or an independent file',
    );
    expect([testNearDuplicateWarning({ near: 4, judged: 430 }), testNearDuplicateWarning({ near: 0, judged: 0 }), testNearDuplicateWarning(undefined)]).toEqual([undefined, undefined, undefined]);
    expect(line(4, 430)).toBe('- Near-duplicates: 4 of the 430 test rows long enough to judge (0.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings).');
    expect(line(0, 0)).toBeUndefined();
  });

  describe('the intended use: the mail the model was trained on, not the mail mailroute is made for', () => {
    const report = { ...evaluatePredictions([{ truth: { queue: 'tax' }, prediction: { queue: { label: 'tax', confidence: 0.9 } } }]), modelId: 'm-1' };
    const use = (card: string) => card.slice(card.indexOf('## Intended use'), card.indexOf('## Data'));
    const registry = { unread: 'directory' } as const;
    // A support-ticket model's long description (as bench configs write them): its first sentence quoted, the rest cut in Data.
    const description = `Synthetic multilingual support tickets (v4 + v5 files), three tasks; stratified 80/20 on queue. ${'Model params: the trainer defaults. '.repeat(30)}`;
    const files = ['tickets-v4.csv', 'tickets-v5.csv'];

    it("claims no bank's or broker's mail: says what the training config describes and where its files are", () => {
      const card = modelCardMarkdown(report, { provenance: { registry, trainingData: { files, description } } });
      expect(use(card)).not.toMatch(/Routes a bank's|customer emails:/);
      expect(use(card)).toContain('Routes incoming emails: predicts one label, of its task `queue`, so the CRM can file each email in the right queue.');
      expect(use(card)).toContain("What it was trained on, in its training config's description: “Synthetic multilingual support tickets (v4 + v5 files), three tasks” (its files are under Data).");
      // The bank is what mailroute is for, said as such, with the way to measure the model on one's own mail.
      expect(use(card)).toContain("It suits mail like its training data: mailroute is made to route a bank's or broker's customer emails, but this model routes those only as well as its training data lets it, so measure it on mail like yours (`mailroute evaluate --model m-1 --data <file>`) before it routes any.");
      const data = card.split('\n');
      expect(data).toContain('- Training data files: `tickets-v4.csv`, `tickets-v5.csv` (as its training run read them).');
      const said = data.find((l) => l.startsWith("- Training config's description: Synthetic multilingual support tickets (v4 + v5 files), three tasks; stratified"));
      // Cut at a blank near 600 characters, and said to be cut.
      expect(said).toMatch(/ Model params: the trainer… \(cut: the whole is the `description` of the training config in its manifest\.json\)\.$/);
      expect(said?.length).toBeLessThan(720);
    });

    it("prefers the manifest's description, says the files alone when there is none, and says when nothing is recorded", () => {
      const manifest = modelCardMarkdown(report, { training: { description: 'Support desk export, March.' }, provenance: { registry, trainingData: { files, description } } });
      expect(use(manifest)).toContain('description: “Support desk export, March”');
      expect(manifest).toContain("- Training config's description: Support desk export, March.\n");
      const filesOnly = modelCardMarkdown(report, { provenance: { registry, trainingData: { files: ['a*b.csv'] } } });
      expect(use(filesOnly)).toContain("It was trained on `a*b.csv` (its training run's data files; its training config has no description).");
      const none = modelCardMarkdown(report);
      expect(use(none)).toContain('What it was trained on is not recorded here (no training config\'s description or data files were read)');
      expect(none).not.toMatch(/Training data files|Training config's description/);
      // A description is the config author's text: shown as text, not Markdown.
      expect(use(modelCardMarkdown(report, { training: { description: '<b>x</b> *y*' } }))).toContain('“&lt;b&gt;x&lt;/b&gt; \\*y\\*”');
    });
  });

  describe('where the model comes from: its training run, the commit and its registry status', () => {
    const report = { ...evaluatePredictions([{ truth: { queue: 'tax' }, prediction: { queue: { label: 'tax', confidence: 0.9 } } }]), modelId: 'ngram-bag-20261129-101500-ab12cd' };
    const commit = '6dd2b3c0e1a5f4b2c9d8e7f6a5b4c3d2e1f0a9b8';
    const pending: ModelProvenance = {
      runId: 'run-20261129-101000-0f1e2d',
      gitCommit: commit,
      gitDirty: false,
      registry: { version: 3, status: 'PendingManualApproval', registeredAt: '2026-11-29T10:15:00.000Z', champion: false, readAt: '2026-11-29T10:20:00.000Z' },
    };
    const card = (provenance: ModelProvenance) => modelCardMarkdown(report, { provenance });
    const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

    it('says the run, the commit and, under the title, a status awaiting approval that can change', () => {
      const text = card(pending);
      expect(text.split('\n').slice(0, 3)).toEqual([
        '# Model card: ngram-bag-20261129-101500-ab12cd',
        '',
        'Registry status when this card was written (2026-11-29T10:20:00.000Z): **PendingManualApproval**: not yet approved or rejected by anyone (version 3, registered 2026-11-29T10:15:00.000Z); not the champion. The status can change: the registry is the source of truth (`mailroute registry show ngram-bag-20261129-101500-ab12cd`).',
      ]);
      expect(line(text, '- Training run:')).toBe('- Training run: `run-20261129-101000-0f1e2d` (`mailroute runs show run-20261129-101000-0f1e2d`).');
      expect(line(text, '- Code:')).toBe(`- Code: mailroute commit \`${commit}\`.`);
      // In the Data section, after the test set.
      expect(text.indexOf('- Training run:')).toBeGreaterThan(text.indexOf('## Data'));
      expect(text.indexOf('- Training run:')).toBeLessThan(text.indexOf('## Labels'));
    });

    it('says who decided and when, and whether it is the champion', () => {
      const approved = { ...pending.registry, status: 'Approved', decidedBy: 'ann', decidedAt: '2026-12-01T09:00:00.000Z', champion: true } as const;
      expect(card({ ...pending, registry: approved })).toContain('(2026-11-29T10:20:00.000Z): **Approved** by `ann` at 2026-12-01T09:00:00.000Z (version 3, registered 2026-11-29T10:15:00.000Z); **the champion**. The status can change');
      const rejected = { ...approved, status: 'Rejected', decidedBy: 'bob', champion: false } as const;
      expect(card({ ...pending, registry: rejected })).toContain('**Rejected** by `bob` at 2026-12-01T09:00:00.000Z (version 3, registered 2026-11-29T10:15:00.000Z); not the champion.');
      // A decision whose decider or time the registry does not hold: said so, not left blank.
      const { decidedBy: _by, ...noWho } = approved;
      expect(card({ ...pending, registry: noWho })).toContain('**Approved** at 2026-12-01T09:00:00.000Z (by whom not recorded) (version 3');
      const { decidedAt: _at, ...noTime } = noWho;
      expect(card({ ...pending, registry: noTime })).toContain('**Approved** (by whom and when not recorded) (version 3');
    });

    it('says what is not recorded as not recorded: no git checkout, no run, a directory, prediction lines', () => {
      expect(line(card({ ...pending, gitCommit: null }), '- Code:')).toBe('- Code: commit not recorded: trained outside a git checkout.');
      expect(line(card({ ...pending, gitDirty: true }), '- Code:')).toBe(`- Code: mailroute commit \`${commit}\`, **with uncommitted changes to tracked files**: the commit alone is not the code that trained it.`);
      const { gitDirty: _dirty, ...olderRun } = pending;
      expect(line(card(olderRun), '- Code:')).toBe(`- Code: mailroute commit \`${commit}\`; whether it had uncommitted changes is not recorded.`);
      const { gitCommit: _commit, ...unreadRun } = olderRun;
      expect(line(card(unreadRun), '- Code:')).toBe("- Code: commit not recorded (the run's record could not be read).");
      const directory = card({ registry: { unread: 'directory' } });
      expect(line(directory, '- Training run:')).toBe('- Training run: not recorded.');
      expect(line(directory, '- Code:')).toBe('- Code: commit not recorded (no training run recorded).');
      expect(line(directory, 'Registry status')).toBe('Registry status: not read: the model was given as a directory, not by its registry id (`mailroute evaluate --model <id>` reads it).');
      expect(line(card({ registry: { unread: 'not-registered' } }), 'Registry status')).toBe('Registry status: not read: the registry under `MAILROUTE_HOME` lists no version of this model.');
      const lines = card({ registry: { unread: 'prediction-lines' } });
      expect(line(lines, 'Registry status')).toContain('not read: this card was made from prediction lines, not from a model');
      expect(line(lines, '- Training run')).toBe('- Training run and code: not known (prediction lines name no run).');
      // Without provenance (a library caller that gives none), the card says nothing of it, as before.
      expect(modelCardMarkdown(report)).not.toMatch(/Registry status|Training run|- Code:/);
    });

    it('shows recorded values as text, not Markdown', () => {
      const odd = card({ ...pending, runId: 'run`x', registry: { ...pending.registry, status: 'Approved', decidedBy: 'a*b`<i>', decidedAt: '<br>', champion: false } });
      expect(line(odd, '- Training run:')).toBe("- Training run: `run'x` (`mailroute runs show run'x`).");
      expect(odd).toContain("**Approved** by `a*b'<i>` at &lt;br&gt; (version 3");
    });
  });
});
