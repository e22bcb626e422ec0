import { describe, expect, it } from 'vitest';
import { likelyRenamed, renamedLabelHint, skippedLabelWarnings } from './renamed-labels.js';

describe('renamed labels', () => {
  const labels = (task: string) => (task === 'queue' ? ['tax_documents', 'payments'] : ['login_2fa']);

  it('takes a label on 5 rows or more for a rename, the most frequent first, with the close label', () => {
    const found = likelyRenamed({ queue: { tax: 654, typo: 4 }, topic: { '2fa': 12 } }, labels);
    expect(found).toEqual([
      { task: 'queue', label: 'tax', rows: 654, guess: 'tax_documents', labels: ['tax_documents', 'payments'] },
      { task: 'topic', label: '2fa', rows: 12, guess: undefined, labels: ['login_2fa'] },
    ]);
    expect(renamedLabelHint(found)).toBe(
      'labels "tax" (queue, 654 rows), "2fa" (topic, 12 rows) are each on many rows: if they were renamed, map them with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. "aliases": {"tax": "tax_documents"} in task queue',
    );
    expect(renamedLabelHint([])).toBeUndefined();
  });

  it('warns of the five most frequent skipped labels one by one, and of the others in one line', () => {
    const found = likelyRenamed({ queue: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`free text ${i}`, 100 - i])) }, labels);
    const warnings = skippedLabelWarnings(found, [], 'not trained on');
    expect(warnings).toHaveLength(6);
    expect(warnings[4]).toMatch(/^queue: all 96 rows labelled "free text 4" were skipped/);
    expect(warnings[5]).toBe(
      '12 more labels not in their taxonomy had all their rows skipped as bad rows, so they are not trained on too: ' +
        Array.from({ length: 10 }, (_, i) => `"free text ${i + 5}" (queue, ${95 - i} rows)`).join(', ') +
        ', and 2 more',
    );
  });

  it('quotes a label that differs from a taxonomy label in its blanks as written, and its alias maps it', () => {
    const found = likelyRenamed({ queue: { 'Technical  Support': 23 } }, () => ['Technical Support', 'Billing']);
    const [warning] = skippedLabelWarnings(found, [], 'not trained on');
    expect(warning).toMatch(/^queue: all 23 rows labelled "Technical {2}Support" were skipped/);
    expect(warning).toContain('e.g. "aliases": {"Technical  Support": "Technical Support"} in task queue');
    expect(renamedLabelHint(found)).toMatch(/^label "Technical {2}Support" of queue is on 23 rows/);
  });

  it('quotes a label that is no plain label masked and cut, and gives its alias a placeholder, not the cell', () => {
    const found = likelyRenamed({ queue: { 'Kunde Anna Schmidt Tel 0171 2345678': 7, 'Sehr geehrte Frau Schmidt, bitte buchen Sie zurück': 6 } }, labels);
    const [first, second] = skippedLabelWarnings(found, [], 'not predicted or scored');
    expect(first).toBe(
      'queue: all 7 rows labelled "Kunde Anna Schmidt Tel [PHONE]" were skipped as bad rows (the label is not in the queue taxonomy), so they are not predicted or scored; ' +
        'if "Kunde Anna Schmidt Tel [PHONE]" was renamed, map it with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. "aliases": {"<that label, as the export writes it>": "<its label now>"} in task queue',
    );
    expect(second).toMatch(/^queue: all 6 rows labelled "Sehr geehrte Frau \[NAME\], bitte buchen S\.\.\." were skipped/);
    expect(renamedLabelHint(found)).toMatch(/^labels "Kunde Anna Schmidt Tel \[PHONE\]" \(queue, 7 rows\), "Sehr geehrte Frau \[NAME\], bitte buchen S\.\.\." \(queue, 6 rows\) are each on many rows: .*"aliases": \{"<that label, as the export writes it>": /);
    expect([first, second, renamedLabelHint(found)].join('\n')).not.toMatch(/0171|Schmidt,|zurück/);
  });

  it('says to add the alias to the config given (--config), naming it, instead of pointing to the example', () => {
    const found = likelyRenamed({ queue: { tax: 654 } }, labels);
    expect(renamedLabelHint(found, 'configs/crm.json')).toBe(
      'label "tax" of queue is on 654 rows: if it was renamed, add an alias to configs/crm.json, e.g. "aliases": {"tax": "tax_documents"} in task queue',
    );
    const two = likelyRenamed({ queue: { tax: 654 }, topic: { '2fa': 12 } }, labels);
    expect(renamedLabelHint(two, 'crm.json')).toContain(': if they were renamed, add aliases to crm.json, e.g. ');
    expect(skippedLabelWarnings(found, [], 'not trained on', 'crm.json')[0]).toMatch(/; if "tax" was renamed, add an alias to crm\.json, e\.g\. "aliases": \{"tax": "tax_documents"\} in task queue$/);
  });

  it('warns that a skipped label took its whole class with it, and when the label it renames has no rows left', () => {
    const renamed = likelyRenamed({ queue: { tax: 654 } }, labels);
    const rows = [{ labels: { queue: 'payments' } }, { labels: { queue: null } }];
    expect(skippedLabelWarnings(renamed, rows, 'not predicted or scored')).toEqual([
      'queue: all 654 rows labelled "tax" were skipped as bad rows (the label is not in the queue taxonomy), so they are not predicted or scored, and its label "tax_documents" has no rows left; ' +
        'if "tax" was renamed, map it with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. "aliases": {"tax": "tax_documents"} in task queue',
    ]);
    expect(skippedLabelWarnings(renamed, [{ labels: { queue: 'tax_documents' } }], 'not trained on')[0]).not.toContain('no rows left');
  });

  it('names as the old name a label left without rows that shares a word, rather than the closest spelling with rows of its own', () => {
    const queues = () => ['IT Support', 'Technical Support', 'Billing and Payments'];
    const renamed = likelyRenamed({ queue: { 'Tech Support': 633 } }, queues);
    // By spelling alone, IT Support is the closest: the hint before the rows are read says so.
    expect(renamed[0].guess).toBe('IT Support');
    const rows = [{ labels: { queue: 'IT Support' } }, { labels: { queue: 'Billing and Payments' } }];
    expect(skippedLabelWarnings(renamed, rows, 'not trained on')[0]).toContain('and its label "Technical Support" has no rows left; if "Tech Support" was renamed, map it with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. "aliases": {"Tech Support": "Technical Support"} in task queue');
    // Both left without rows: the one sharing more words.
    const both = [{ labels: { queue: 'Billing and Payments' } }];
    expect(skippedLabelWarnings(renamed, both, 'not trained on')[0]).toContain('"aliases": {"Tech Support": "Technical Support"}');
    // Two that share as many words: neither is preferred, the closest spelling (if any) stays.
    const support = likelyRenamed({ queue: { Support: 50 } }, queues);
    const guess = JSON.stringify(support[0].guess ?? '<its label now>');
    expect(skippedLabelWarnings(support, both, 'not trained on')[0]).toContain(`"aliases": {"Support": ${guess}}`);
  });

  it('writes the alias as JSON to copy into the config, a label\'s quotes and backslashes escaped', () => {
    // Was `{"Kunde "VIP"": ...}` and `{"Support\Tech": ...}`, which the config then refused as not JSON.
    const found = likelyRenamed({ queue: { 'Kunde "VIP"': 9, 'Support\\Tech': 7 } }, () => ['Kunde VIP']);
    expect(renamedLabelHint(found)).toMatch(/, e\.g\. "aliases": \{"Kunde \\"VIP\\"": "Kunde VIP"\} in task queue$/);
    const [, second] = skippedLabelWarnings(found, [], 'not trained on');
    const example = /e\.g\. "aliases": (\{.*\}) in task queue$/.exec(second)?.[1] ?? '';
    expect(JSON.parse(example)).toEqual({ 'Support\\Tech': '<its label now>' });
  });
});
