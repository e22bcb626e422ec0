import { describe, expect, it } from 'vitest';
import type { LabelComparison } from './compare-labels.js';
import { comparePredictions, type ComparedRouting, type TaskComparison } from './compare.js';
import { labelChangesMarkdown, LABEL_ROWS_MAX, worseLabels } from './compare-labels-text.js';
import { applyGate } from './gate.js';
import type { PredictionLine } from './prediction-line.js';
import { comparisonMarkdown } from './report-text.js';

// Eight emails of a queue task (a, b and the catch-all `other`): truth, then each model's label and whether it abstained.
const rows: Array<[string, [string, boolean], [string, boolean]]> = [
  // truth, champion, challenger
  ['a', ['a', false], ['a', false]],
  ['a', ['a', false], ['b', false]], // the challenger misroutes an `a` to b
  ['a', ['a', true], ['a', false]],
  ['b', ['b', false], ['b', false]],
  ['b', ['a', false], ['b', false]], // the champion misroutes a `b` to a
  ['b', ['b', false], ['other', false]], // the challenger sends it to manual triage (no queue)
  ['other', ['other', false], ['a', false]],
  ['b', ['b', false], ['b', true]],
];
const side = (which: 1 | 2, topicAbstains: number[] = []): PredictionLine[] =>
  rows.map((r, i) => ({
    id: `m${i + 1}`,
    truth: { queue: r[0] },
    prediction: { queue: { label: r[which][0], abstained: r[which][1] }, topic: { label: 'x', abstained: topicAbstains.includes(i) } },
  }));
const champion = side(1);
const challenger = side(2);
const compareQueue = (chall: readonly PredictionLine[], routing?: ComparedRouting): TaskComparison =>
  comparePredictions(chall, champion, { bootstrap: { resamples: 20, seed: 1 }, tasks: ['queue'], ...(routing ? { routing } : {}) }).tasks[0];

describe('the per-label comparison', () => {
  it("gives both models' precision, recall and F1 per label, the support, the difference, and the emails each answers with it", () => {
    const labels = compareQueue(challenger).labels ?? [];
    expect(labels.map((l) => l.label)).toEqual(['a', 'b', 'other']);
    const [a, b, other] = labels;
    // Champion: a 3 of 4 given right, all 3 found; b 3 of 3, 3 of 4 found. Challenger: a 2 of 3 and 2 of 3; b 3 of 4 and 3 of 4.
    expect(a).toMatchObject({ support: 3, champion: { precision: 0.75, recall: 1, predicted: 4 }, challenger: { precision: 2 / 3, recall: 2 / 3, predicted: 3 } });
    expect(a.champion.f1).toBeCloseTo(6 / 7, 12);
    expect(a.challenger.f1).toBeCloseTo(2 / 3, 12);
    expect(a.f1Delta).toBeCloseTo(-4 / 21, 12);
    expect(b.support).toBe(4);
    expect(b.f1Delta).toBeCloseTo(0.75 - 6 / 7, 12);
    expect(other).toMatchObject({ support: 1, champion: { f1: 1 }, challenger: { f1: 0, predicted: 1 }, f1Delta: -1 });
    // The emails of each label each gets right, by its top label on every email (threshold ignored), as F1 counts.
    expect(labels.map((l) => [l.champion.right, l.challenger.right])).toEqual([
      [3, 2],
      [3, 3],
      [1, 0],
    ]);
    // Without the models' routing: the emails each answers (does not abstain on) with the label, and how many wrongly.
    expect(labels.map((l) => [l.answered, l.routed])).toEqual([
      [{ champion: { answered: 3, wrong: 1 }, challenger: { answered: 3, wrong: 1 } }, undefined],
      [{ champion: { answered: 3, wrong: 0 }, challenger: { answered: 3, wrong: 1 } }, undefined],
      [{ champion: { answered: 1, wrong: 0 }, challenger: { answered: 1, wrong: 1 } }, undefined],
    ]);
  });

  it("counts, for the task both models route mail by, the mail each routes to a queue and misroutes, as each one's own report", () => {
    const routing = { challenger: { queueTask: 'queue' }, champion: { queueTask: 'queue' } };
    // `other` has no queue: mail predicted it goes to manual triage, as does mail a model abstains on.
    expect(compareQueue(challenger, routing).labels?.map((l) => [l.label, l.routed, l.answered])).toEqual([
      ['a', { champion: { routed: 3, misrouted: 1 }, challenger: { routed: 3, misrouted: 1 } }, undefined],
      ['b', { champion: { routed: 3, misrouted: 0 }, challenger: { routed: 3, misrouted: 1 } }, undefined],
      ['other', { champion: { routed: 0, misrouted: 0 }, challenger: { routed: 0, misrouted: 0 } }, undefined],
    ]);
    // A challenger whose routing also watches topic: the email 4 (a `b`) on which its topic abstains goes to manual triage.
    const watching = { ...routing, challenger: { queueTask: 'queue', abstainTasks: ['queue', 'topic'] } };
    expect(compareQueue(side(2, [3]), watching).labels?.[1].routed?.challenger).toEqual({ routed: 2, misrouted: 1 });
    // One model's routing alone: no queue counts, the emails answered instead.
    expect(compareQueue(challenger, { challenger: { queueTask: 'queue' } }).labels?.[1].answered?.challenger).toEqual({ answered: 3, wrong: 1 });
  });

  it('leaves out the emails counts when a line does not say whether it abstained', () => {
    const silent = challenger.map((l) => ({ ...l, prediction: { queue: { label: l.prediction.queue.label } } }));
    const labels = compareQueue(silent).labels ?? [];
    expect(labels).toHaveLength(3);
    expect(labels.every((l) => l.answered === undefined && l.routed === undefined)).toBe(true);
  });
});

/**
 * A label with the given F1 difference (points) and support; `wrong`: the challenger's more misrouted mail; `fewer`:
 * how many fewer of its emails the challenger gets right (2 unless said).
 */
function label(name: string, dropPoints: number, support: number, wrong = 0, fewer = 2): LabelComparison {
  const f1 = 0.9;
  return {
    label: name,
    support,
    champion: { precision: f1, recall: f1, f1, predicted: support, right: support - 2 },
    challenger: { precision: f1, recall: f1, f1: f1 - dropPoints / 100, predicted: support, right: support - 2 - fewer },
    f1Delta: -dropPoints / 100,
    routed: { champion: { routed: support, misrouted: 1 }, challenger: { routed: support, misrouted: 1 + wrong } },
  };
}

describe('the summary of the labels the challenger does worse on', () => {
  it('says them worst first in a table with both F1s, the support and the mail each misroutes to the queue', () => {
    const t = compareQueue(challenger, { challenger: { queueTask: 'queue' }, champion: { queueTask: 'queue' } });
    const lines = labelChangesMarkdown({ tasks: [t] });
    expect(lines.slice(2)).toEqual([
      '',
      '`queue`: F1 lower on all 3 of its labels, higher on none; more mail misrouted to 1 queue, by 2 emails or more to none. Worst first:',
      '',
      "F1 and Δ right (emails of the label the challenger gets right, minus the champion's) count each model's top label on every email, its threshold ignored, and F1 also falls when more emails of other labels get this one; misrouted counts only the mail each routes to the queue at its own threshold. A difference of an email or two can be chance.",
      '',
      '| label | emails | F1 (top label): champion | F1 (top label): challenger | Δ F1 | Δ right | misrouted to it (at threshold): champion | misrouted to it (at threshold): challenger |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| other | 1 | 1.0000 | 0.0000 | -100.00 | -1 | 0 of 0 | 0 of 0 |',
      '| a | 3 | 0.8571 | 0.6667 | -19.05 | -1 | 1 of 3 | 1 of 3 |',
      '| b | 4 | 0.8571 | 0.7500 | -10.71 | 0 | 0 of 3 | 1 of 3 |',
      '',
      "No label's F1 fell by 5 points or more on 10 emails or more with 2 emails or more fewer right or more wrong.",
    ]);
    expect(lines[1]).toMatch(/^Labels the challenger does worse on, per task: the 5 largest drops of F1; .* comparison\.json \(`tasks\[\]\.labels`; written with --out\) has every label\.$/);
    // The caution is where it is read, right above each table: not a long paragraph over all of them.
    expect(lines[1].split(' ').length).toBeLessThan(80);
    expect(lines[1]).not.toContain('chance');
    const c = comparePredictions(challenger, champion, { bootstrap: { resamples: 20, seed: 1 }, tasks: ['queue'] });
    const md = comparisonMarkdown(c, applyGate(c));
    expect(md).toContain('| a | 3 | 0.8571 | 0.6667 | -19.05 | -1 | 1 of 3 | 1 of 3 |');
    expect(md).toContain('| answered wrongly (at threshold): champion | answered wrongly (at threshold): challenger |');
    expect(md).toContain("answered wrongly counts only the emails each answers at its own threshold. A difference of an email or two can be chance.\n\n| label |");
  });

  it("comes after the gate's checks and the notes on them, and leaves no legend far from its table", () => {
    const c = comparePredictions(challenger, champion, { bootstrap: { resamples: 20, seed: 1 }, tasks: ['queue'] });
    const md = comparisonMarkdown(c, applyGate(c, { maxMacroF1DropPoints: 0.5 }));
    // The drop fails its check while its interval spans 0: the note on it, then the labels.
    expect(md).toContain('| **FAIL** |');
    const note = md.indexOf('Note: `queue` fails its check');
    expect(note).toBeGreaterThan(md.indexOf('| check | result | detail |'));
    expect(md.indexOf('Labels the challenger does worse on')).toBeGreaterThan(note);
    expect(md.indexOf('What the intervals say')).toBeLessThan(md.indexOf('| check | result | detail |'));
    // McNemar's b and c are said once, above the table whose column they head; nothing is said of them at the end.
    expect(md.split('b: emails only the challenger gets right')).toHaveLength(2);
    expect(md.indexOf('b: emails only the challenger gets right')).toBeLessThan(md.indexOf('| task | n |'));
    expect(md).not.toContain('c: emails only the champion gets right');
  });

  it('says in one line when no label is worse', () => {
    const t = compareQueue(champion, { challenger: { queueTask: 'queue' }, champion: { queueTask: 'queue' } });
    expect(labelChangesMarkdown({ tasks: [t] })).toEqual(['', '`queue`: no label has a lower F1 with the challenger, and no queue gets more misrouted mail.']);
  });

  it('shows the 5 largest drops, every drop of 5 points on 10 emails or more and every queue misrouted to more, and counts the rest', () => {
    const labels = [
      ...Array.from({ length: 8 }, (_, i) => label(`small${i}`, 10 + i, 5)), // large drops on 5 emails: only the 5 largest
      label('big', 6, 40), // notable: 6 points on 40 emails, 2 fewer right
      label('tiny', 1, 40), // a small drop: not shown beyond the first 5
      label('misrouted', -2, 40, 2, 0), // F1 higher, but 2 more misrouted
      label('better', -3, 40, 0, -2),
    ];
    const { worse, shown } = worseLabels(labels);
    expect(worse.map((l) => l.label)).toEqual(['small7', 'small6', 'small5', 'small4', 'small3', 'small2', 'small1', 'small0', 'big', 'tiny', 'misrouted']);
    expect(shown.map((l) => l.label)).toEqual(['small7', 'small6', 'small5', 'small4', 'small3', 'big', 'misrouted']);
    const t = { ...compareQueue(challenger), task: 'queue', labels };
    const md = labelChangesMarkdown({ tasks: [t] });
    // The rows add up to the line over them: the drops, and the one whose F1 is higher shown for its 2 more misrouted.
    expect(md).toContain('`queue`: F1 lower on 10 of its 12 labels, higher on 2; more mail misrouted to 1 queue; shown too: 1 label whose F1 is not lower, with at least 2 more emails misrouted to it. Worst first:');
    expect(md).toContain('| big | 40 | 0.9000 | 0.8400 | -6.00 | -2 | 1 of 40 | 1 of 40 |');
    expect(md).toContain('| misrouted | 40 | 0.9000 | 0.9200 | +2.00 | 0 | 1 of 40 | 3 of 40 |');
    expect(md).toContain('4 more labels the challenger does worse on, each a lower F1 outside the 5 largest drops and no notable one, are in comparison.json (`tasks[].labels`; written with --out).');
    expect(md.join('\n')).not.toContain("No label's F1 fell by 5 points");
    // Never more than LABEL_ROWS_MAX rows, however many labels dropped notably (Banking77's 77).
    const many = Array.from({ length: 77 }, (_, i) => label(`intent${String(i).padStart(2, '0')}`, 20, 40));
    expect(worseLabels(many).shown).toHaveLength(LABEL_ROWS_MAX);
    expect(labelChangesMarkdown({ tasks: [{ ...t, labels: many }] })).toContain('65 more labels the challenger does worse on, past the 12 rows shown, are in comparison.json (`tasks[].labels`; written with --out).');
  });

  it('pulls in a drop or more wrong answers beyond the 5 largest drops only when 2 emails or more make it, and says each row in emails', () => {
    const labels = [
      ...Array.from({ length: 5 }, (_, i) => label(`large${i}`, 20 + i, 5)), // the 5 largest drops, shown whatever they rest on
      label('one-email', 6.25, 16, 1, 1), // 6.25 points on 16 emails: 1 fewer right, 1 more wrong (the review's risk_profile)
      label('one-more-wrong', -2, 40, 1, 0), // F1 higher, 1 more misrouted
      label('two-fewer-right', 6, 16, 0, 2), // notable: 2 fewer right
      label('two-more-wrong', 6, 16, 2, 0), // notable: 2 more wrong
      label('two-more-misrouted', -1, 40, 2, -1), // F1 higher, 2 more misrouted
    ];
    const { worse, shown } = worseLabels(labels);
    expect(worse.map((l) => l.label)).toContain('one-email');
    // A higher F1 with one email more misrouted is no worse: one email is noise.
    expect(worse.map((l) => l.label)).not.toContain('one-more-wrong');
    expect(shown.map((l) => l.label)).toEqual(['large4', 'large3', 'large2', 'large1', 'large0', 'two-more-wrong', 'two-fewer-right', 'two-more-misrouted']);
    const md = labelChangesMarkdown({ tasks: [{ ...compareQueue(challenger), labels }] });
    expect(md).toContain('`queue`: F1 lower on 8 of its 10 labels, higher on 2; more mail misrouted to 4 queues, by 2 emails or more to 2; shown too: 1 label whose F1 is not lower, with at least 2 more emails misrouted to it. Worst first:');
    expect(md).toContain('| two-fewer-right | 16 | 0.9000 | 0.8400 | -6.00 | -2 | 1 of 16 | 1 of 16 |');
    expect(md).toContain('| two-more-misrouted | 40 | 0.9000 | 0.9100 | +1.00 | +1 | 1 of 40 | 3 of 40 |');
    expect(md).toContain('1 more label the challenger does worse on, a lower F1 outside the 5 largest drops and no notable one, is in comparison.json (`tasks[].labels`; written with --out).');
    // The one-email drop is no notable drop, yet among the 5 largest it is shown, with the 1 email it is.
    const top = labelChangesMarkdown({ tasks: [{ ...compareQueue(challenger), labels: [label('risk_profile', 6.25, 16, 1, 1)] }] });
    expect(top).toContain('| risk_profile | 16 | 0.9000 | 0.8375 | -6.25 | -1 | 1 of 16 | 2 of 16 |');
    expect(top).toContain("No label's F1 fell by 5 points or more on 10 emails or more with 2 emails or more fewer right or more wrong.");
  });

  it('shows no label whose F1 got better for one email more misrouted, and its line counts what its rows are', () => {
    // The lead's review: 4 queues lower; Returns higher (+3.53) with 1 email more misrouted, once shown as a 5th "drop".
    const labels = [label('tech', 5.64, 400), label('outages', 4.63, 34), label('product', 4.26, 200), label('sales', 3.18, 39), label('returns', -3.53, 70, 1, 0)];
    const t = { ...compareQueue(challenger), labels };
    expect(worseLabels(labels).shown.map((l) => l.label)).toEqual(['tech', 'outages', 'product', 'sales']);
    const md = labelChangesMarkdown({ tasks: [t] });
    expect(md).toContain('`queue`: F1 lower on 4 of its 5 labels, higher on 1; more mail misrouted to 1 queue, by 2 emails or more to none. Worst first:');
    const rows = md.filter((l) => l.startsWith('| ') && !l.startsWith('| label') && !l.startsWith('| ---'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| tech', '| outages', '| product', '| sales']);
    expect(md.join('\n')).not.toContain('| returns |');
    // Every label's F1 higher or the same, one of them with 1 email more misrouted: no table, and not said to be none.
    expect(labelChangesMarkdown({ tasks: [{ ...t, labels: [label('returns', -3.53, 70, 1, 0), label('tax', -1, 70)] }] })).toEqual([
      '',
      '`queue`: no label has a lower F1 with the challenger; 1 queue gets 1 email more misrouted, a difference one email makes.',
    ]);
  });

  it("shows a queue the challenger lost first, with the champion's figures on it, whatever its F1, and counts it in the line over the table", () => {
    // The lead's review: General Inquiry merged into `other` under the challenger's minCount; the champion got none of its 14 right either.
    const lost = { ...label('General Inquiry', 0, 14, 0, 0), champion: { precision: 0, recall: 0, f1: 0, predicted: 9, right: 0 }, challenger: { precision: 0, recall: 0, f1: 0, predicted: 0, right: 0 } };
    const labels = [label('tech', 5.64, 400), lost, label('returns', -3.53, 70, 1, 0)];
    const oneSidedLabels = { challenger: [], champion: [{ label: 'General Inquiry', emails: 14, predicted: 9, lost: 'merged-into-other' as const }] };
    const t = { ...compareQueue(challenger), labels, oneSidedLabels };
    expect(worseLabels(labels).worse.map((l) => l.label)).toEqual(['tech']);
    expect(worseLabels(labels, new Set(['General Inquiry'])).shown.map((l) => l.label)).toEqual(['General Inquiry', 'tech']);
    const md = labelChangesMarkdown({ tasks: [t] });
    expect(md[1]).toMatch(/^Labels the challenger does worse on, per task: any label it lost \(cannot predict\), first; the 5 largest drops of F1;/);
    expect(md).toContain(
      "`queue`: F1 lower on 1 of its 3 labels, higher on 1; more mail misrouted to 1 queue, by 2 emails or more to none; the challenger cannot predict 1 queue the champion routes mail to (lost: first below, with the champion's figures on it). Worst first:",
    );
    expect(md.filter((l) => l.startsWith('| ') && !l.startsWith('| label') && !l.startsWith('| ---'))).toEqual([
      '| General Inquiry (lost: merged into "other" under its minCount) | 14 | 0.0000 | 0.0000 | +0.00 | 0 | 1 of 14 | 1 of 14 |',
      '| tech | 400 | 0.9000 | 0.8436 | -5.64 | -2 | 1 of 400 | 1 of 400 |',
    ]);
    // Lost with no email here: named, with no row (no figures to give); alone, with no table.
    const none = { ...t, labels: [label('returns', -3.53, 70)], oneSidedLabels: { challenger: [], champion: [{ label: 'advisory', emails: 0, predicted: 0, lost: 'no-examples' as const }] } };
    expect(labelChangesMarkdown({ tasks: [none] })).toEqual(['', '`queue`: no label has a lower F1 with the challenger, and no queue gets more misrouted mail; the challenger cannot predict `advisory` (lost; no email here has it).']);
  });

  it('shows a lost queue the champion routed right with both figures, in the summary of a comparison that lost it', () => {
    // The champion routes 3 emails of `c` right; the challenger cannot predict it (no training row had it) and sends them to `other`.
    const truth = ['a', 'b', 'c', 'c', 'c', 'a', 'b', 'a'];
    const lines = (predicted: readonly string[]): PredictionLine[] => predicted.map((p, i) => ({ id: `c${i}`, truth: { queue: truth[i] }, prediction: { queue: { label: p, abstained: false } } }));
    const routing = { challenger: { queueTask: 'queue' }, champion: { queueTask: 'queue' } };
    const taxonomies = { challenger: { queue: ['a', 'b', 'other'] }, champion: { queue: ['a', 'b', 'c', 'other'] } };
    const c = comparePredictions(lines(truth.map((x) => (x === 'c' ? 'other' : x))), lines(truth), { bootstrap: { resamples: 20, seed: 1 }, routing, taxonomies, lostLabels: { queue: { c: 'no-examples' } } });
    const md = comparisonMarkdown(c, applyGate(c));
    expect(md).toContain('| c (lost: no training row had it) | 3 | 1.0000 | 0.0000 | -100.00 | -3 | 0 of 3 | 0 of 0 |');
    expect(md.indexOf('| c (lost')).toBeGreaterThan(md.indexOf("every queue of the champion's still predicted"));
  });

  it('escapes labels from the data, and says nothing of tasks whose figures do not compare', () => {
    const t = { ...compareQueue(challenger), labels: [label('a|b *x*', 10, 5)] };
    expect(labelChangesMarkdown({ tasks: [t] })).toContain('| a\\|b \\*x\\* | 5 | 0.9000 | 0.8000 | -10.00 | -2 | 1 of 5 | 1 of 5 |');
    expect(labelChangesMarkdown({ tasks: [t] }, new Set(['queue']))).toEqual([]);
    expect(labelChangesMarkdown({ tasks: [{ ...t, labels: undefined }] })).toEqual([]);
  });
});
