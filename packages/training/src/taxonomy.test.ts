import { describe, expect, it } from 'vitest';
import { TaskConfigSchema } from './config.js';
import { finaliseTaskLabels } from './taxonomy.js';
import { lookalikeWarning } from './data/label-lookalikes.js';

const stats = { renamed: {}, retired: 0, missing: 0 };

describe('labels that differ only in case or spacing', () => {
  const labels = ['billing', 'billing', 'Billing', 'billing issue', 'billing issue', 'billing  issue', 'Billing Issue', 'tax', null];

  it('are reported with their counts and the aliases that would merge them, in a task without labels', () => {
    const { report } = finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), labels, stats);
    expect(report.lookalikes).toEqual([
      [['billing', 2], ['Billing', 1]],
      [['billing issue', 2], ['billing  issue', 1], ['Billing Issue', 1]],
    ]);
    expect(lookalikeWarning(report)).toBe(
      'queue: labels that differ only in case or spacing are separate classes: "billing" (2), "Billing" (1); "billing issue" (2), "billing  issue" (1), "Billing Issue" (1); 3 rows under the less frequent spellings; ' +
        'if each group is one label, add to the task\'s aliases: {"Billing":"billing","billing  issue":"billing issue","Billing Issue":"billing issue"}',
    );
  });

  it('include `other` as rare labels merged make it: the data\'s "Other" beside it is a second class (QA: 4 labels, no warning)', () => {
    const rows = ['brokerage', 'brokerage', 'Other', 'Other', 'Other', 'rare1', 'rare2', 'savings', 'savings'];
    const { report } = finaliseTaskLabels(TaskConfigSchema.parse({ name: 'area', minCount: 2 }), rows, stats);
    expect(report.labels).toEqual(['Other', 'brokerage', 'other', 'savings']);
    expect(report.lookalikes).toEqual([[['Other', 3], ['other', 2]]]);
    expect(lookalikeWarning(report)).toBe('area: labels that differ only in case or spacing are separate classes: "Other" (3), "other" (2); 3 rows under the less frequent spelling; if each group is one label, add to the task\'s aliases: {"Other":"other"}');
  });

  it('are not reported when the task lists its labels, for labels fixed by a model, or when there are none', () => {
    const listed = TaskConfigSchema.parse({ name: 'queue', labels: ['billing', 'Billing', 'billing issue', 'billing  issue', 'Billing Issue', 'tax'] });
    expect(lookalikeWarning(finaliseTaskLabels(listed, labels, stats).report)).toBeUndefined();
    expect(lookalikeWarning(finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), labels, stats, true).report)).toBeUndefined();
    expect(lookalikeWarning(finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), ['billing', 'tax'], stats).report)).toBeUndefined();
  });
});

describe('the counts of a task', () => {
  it('count labels named like members of every JavaScript object (constructor, toString) as any other', () => {
    const { report } = finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), ['constructor', 'toString', 'constructor', 'tax'], stats);
    expect(report.labels).toEqual(['constructor', 'tax', 'toString']);
    expect(report.counts).toEqual({ constructor: 2, toString: 1, tax: 1 });
  });
});
