import { describe, expect, it } from 'vitest';
import { TaskConfigSchema } from './config.js';
import { finaliseTaskLabels, lookalikeWarning } from './taxonomy.js';

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
      'queue: labels that differ only in case or spacing are separate classes: "billing" (2), "Billing" (1); "billing issue" (2), "billing  issue" (1), "Billing Issue" (1); ' +
        'if each group is one label, add to the task\'s aliases: {"Billing":"billing","billing  issue":"billing issue","Billing Issue":"billing issue"}',
    );
  });

  it('are not reported when the task lists its labels, for labels fixed by a model, or when there are none', () => {
    const listed = TaskConfigSchema.parse({ name: 'queue', labels: ['billing', 'Billing', 'billing issue', 'billing  issue', 'Billing Issue', 'tax'] });
    expect(lookalikeWarning(finaliseTaskLabels(listed, labels, stats).report)).toBeUndefined();
    expect(lookalikeWarning(finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), labels, stats, true).report)).toBeUndefined();
    expect(lookalikeWarning(finaliseTaskLabels(TaskConfigSchema.parse({ name: 'queue' }), ['billing', 'tax'], stats).report)).toBeUndefined();
  });
});
