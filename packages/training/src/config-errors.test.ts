import { describe, expect, it } from 'vitest';
import { choicesHint, labelChoicesHint, unknownKeyMessage } from './config-errors.js';
import { likelyRenamed, renamedLabelHint } from './data/renamed-labels.js';

describe('choicesHint', () => {
  it('suggests a close name (case ignored) and lists the names when there are few', () => {
    expect(choicesHint('Low', ['low', 'normal', 'high'], 'labels')).toBe('(did you mean "low"? labels: low, normal, high)');
    expect(choicesHint('prio', ['queue', 'priority'], 'tasks')).toBe('(did you mean "priority"? tasks: queue, priority)');
    expect(choicesHint('bogus', ['low', 'normal', 'high'], 'labels')).toBe('(labels: low, normal, high)');
    // An abbreviation that only one name starts with; none when several do.
    expect(choicesHint('prio', ['priority', 'topic'], 'tasks')).toBe('(did you mean "priority"? tasks: priority, topic)');
    expect(choicesHint('pr', ['priority', 'product'], 'tasks')).toBe('(tasks: priority, product)');
  });

  it('takes a whole number written with decimals (1.0, as pandas writes a number column with blanks) for the label 1', () => {
    expect(choicesHint('2.0', ['1', '2', '3'], 'labels')).toBe('(did you mean "2"? labels: 1, 2, 3)');
    expect(choicesHint('2.5', ['1', '2', '3'], 'labels')).toBe('(labels: 1, 2, 3)');
    const renamed = likelyRenamed({ prio: { '1.0': 10 } }, () => ['1', '2', '3']);
    expect(renamedLabelHint(renamed, 'cfg.json')).toContain('e.g. "aliases": {"1.0": "1"} in task prio');
  });

  it('counts the names instead of listing more than 12', () => {
    const many = Array.from({ length: 13 }, (_, i) => `queue_${i + 1}`);
    expect(choicesHint('Queue_13', many, 'labels')).toBe('(did you mean "queue_13"? 13 labels)');
    expect(choicesHint('zzz', many, 'labels')).toBe('(13 labels)');
    expect(choicesHint('zzz', many.slice(0, 12), 'labels')).toBe(`(labels: ${many.slice(0, 12).join(', ')})`);
  });

  it('names a longer label whose start a data label mistypes, and none two labels start alike', () => {
    const task = { labels: ['transfer_not_received_by_recipient', 'transfer_timing', 'card_payment_fee_charged', 'card_payment_not_recognised'], aliases: {}, retired: [] };
    expect(labelChoicesHint('transfer_not_recieved', task)).toBe(`(did you mean "transfer_not_received_by_recipient"? labels: ${task.labels.join(', ')})`);
    expect(labelChoicesHint('card_paymnt', task)).toBe(`(labels: ${task.labels.join(', ')})`);
  });
});

describe('unknownKeyMessage', () => {
  it('suggests a key of the same level only, and says where a key of another level belongs', () => {
    const tasks = { where: 'in each entry of tasks[]', keys: ['name', 'minCount'] };
    const model = { where: 'in model', keys: ['seed', 'epochs'] };
    expect(unknownKeyMessage(['taks'], ['tasks', 'columns'], [tasks, model])).toBe('unknown key "taks" (did you mean "tasks"?)');
    expect(unknownKeyMessage(['minCont'], ['tasks', 'columns'], [tasks, model])).toBe('unknown key "minCont"');
    expect(unknownKeyMessage(['minCount', 'seed'], ['tasks'], [tasks, model, { where: 'in split', keys: ['seed'] }])).toBe(
      'unknown key "minCount" (it belongs in each entry of tasks[]), unknown key "seed" (it belongs in model or in split)',
    );
  });
});
