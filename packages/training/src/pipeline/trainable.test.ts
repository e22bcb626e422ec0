import { describe, expect, it } from 'vitest';
import type { TaskTaxonomyReport } from '../taxonomy.js';
import { checkTrainable, fewRoutingRowsWarning, untrainedLabelWarnings } from './trainable.js';

const task = (name: string, labels: string[], rare: Record<string, number> = {}): TaskTaxonomyReport => ({
  task: name,
  labels,
  counts: Object.fromEntries(labels.map((l) => [l, 10])),
  renamed: {},
  retired: 0,
  missing: 0,
  rare,
  rareAction: 'other',
  absent: [],
});

describe('checkTrainable', () => {
  it('passes data with two labels per task and enough rows, without warnings', () => {
    expect(checkTrainable([task('queue', ['a', 'b'])], { train: 700, valid: 100, test: 200 })).toEqual([]);
  });

  it('refuses a task merged down to one label, saying why', () => {
    expect(() => checkTrainable([task('queue', ['a', 'b']), task('topic', ['other'], { x: 3, y: 2 })], { train: 700, valid: 100, test: 200 })).toThrow(
      /^cannot train on this data: task "topic" has only the label "other" left \(2 label\(s\) under minCount were merged into other: lower minCount or add rows\); a classifier needs at least 2$/,
    );
  });

  it('refuses a task whose every label cell is empty (its column empty, or the wrong one named), saying so', () => {
    const empty = { ...task('priority', []), missing: 160, retired: 2 };
    expect(() => checkTrainable([task('queue', ['a', 'b']), empty], { train: 700, valid: 100, test: 200 })).toThrow(
      'cannot train on this data: task "priority" has no label left (no row has one: 160 without a label, 2 retired; is the task\'s column the right one?); a classifier needs at least 2',
    );
  });

  it('refuses empty training or validation splits, all problems in one error', () => {
    try {
      checkTrainable([task('queue', [])], { train: 0, valid: 0, test: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'DATASET_TOO_SMALL' });
      expect((error as { problems: string[] }).problems).toEqual([
        'task "queue" has no label left (no row has one: 0 without a label; is the task\'s column the right one?); a classifier needs at least 2',
        'the training split is empty',
        'the validation split is empty (early stopping and calibration need it): add rows or raise split.validShare',
      ]);
    }
  });

  it('warns when few rows measure the model: test rows, or validation rows without a test split', () => {
    expect(checkTrainable([task('queue', ['a', 'b'])], { train: 40, valid: 5, test: 2 })).toEqual(['only 2 test row(s) measure the model: its metrics are rough']);
    // Few texts, each repeated: the copies of one text stay on one side, which is what to change.
    expect(() => checkTrainable([task('queue', ['a', 'b'])], { train: 300, valid: 0, test: 0, rows: 300, distinctTexts: 6 })).toThrow(
      'cannot train on this data: the validation split is empty (early stopping and calibration need it): the 300 rows hold only 6 distinct text(s), and the copies of one text stay on one side of the split, so add rows with other texts or raise split.validShare',
    );
    expect(checkTrainable([task('queue', ['a', 'b'])], { train: 40, valid: 5, test: 0 })).toEqual(['only 5 validation row(s) measure the model: its metrics are rough']);
  });
});

describe('untrainedLabelWarnings', () => {
  const rows = (queue: string, n: number) => Array.from({ length: n }, () => ({ labels: { queue, topic: null } }));

  it('names per task the labels that no training row has, with their validation and test rows, and why a time split does that', () => {
    const split = { train: [...rows('a', 8), ...rows('b', 8)], valid: [...rows('a', 1), ...rows('new', 2)], test: [...rows('b', 2), ...rows('new', 5)] };
    expect(untrainedLabelWarnings([task('queue', ['a', 'b', 'new']), task('topic', [])], split, 'time')).toEqual([
      'queue: no training row has the label(s) new (2 validation, 5 test rows): the model cannot learn them, and their test rows count as misses; ' +
        'a time split holds out the newest mail, so a label only recent mail has is not trained on: add older examples of it, or split stratified',
    ]);
    expect(untrainedLabelWarnings([task('queue', ['a', 'b', 'new'])], split, 'stratified')[0]).toMatch(/new \(2 validation, 5 test rows\).*; too few rows reach the training split/);
  });

  it('says nothing when every label trains', () => {
    expect(untrainedLabelWarnings([task('queue', ['a', 'b'])], { train: [...rows('a', 3), ...rows('b', 1)], valid: rows('b', 1), test: [] }, 'time')).toEqual([]);
  });
});

describe('fewRoutingRowsWarning', () => {
  const rows = (Produkt: string, n: number) => Array.from({ length: n }, () => ({ labels: { Produkt, Kanal: 'Brief' } }));
  const labels = ['Hausrat & Haftpflicht', 'Kfz', 'Leben/Rente', 'Rechtsschutz', 'other'];
  const train = [...rows('Hausrat & Haftpflicht', 3), ...rows('Kfz', 40), ...rows('Leben/Rente', 1), ...rows('Rechtsschutz', 5), ...rows('other', 2)];

  it('names the labels of the task that routes mail with 1 to 4 training rows, and what that means', () => {
    expect(fewRoutingRowsWarning([task('Produkt', labels), task('Kanal', ['Brief'])], train, 'Produkt')).toBe(
      'Produkt routes mail, and its label(s) Hausrat & Haftpflicht (3), Leben/Rente (1) have fewer than 5 training rows: the model barely learns them and too few rows test them, ' +
        'yet mail it gives them is routed to their queues as confidently as any other; add examples, or raise its minCount to merge such labels into "other" (manual triage)',
    );
    // Merged into nothing with rare "drop": only more examples help.
    expect(fewRoutingRowsWarning([{ ...task('Produkt', labels), rareAction: 'drop' }], train, 'Produkt')).toMatch(/; add examples$/);
  });

  it('says nothing of a task that does not route mail, of `other` (manual triage anyway), nor of labels with 5 rows or none', () => {
    // Kanal's `Fax` has 1 training row, but Kanal routes nothing.
    const kanal = [...rows('Kfz', 10), { labels: { Produkt: 'Kfz', Kanal: 'Fax' } }];
    expect(fewRoutingRowsWarning([task('Produkt', ['Kfz']), task('Kanal', ['Brief', 'Fax'])], kanal, 'Produkt')).toBeUndefined();
    expect(fewRoutingRowsWarning([task('Produkt', ['Kfz', 'Rechtsschutz', 'other', 'neu'])], train, 'Produkt')).toBeUndefined();
    expect(fewRoutingRowsWarning([task('Produkt', labels)], train, undefined)).toBeUndefined();
  });
});
