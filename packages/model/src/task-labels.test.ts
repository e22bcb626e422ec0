import { describe, expect, it } from 'vitest';
import { classifierTasks, currentLabel } from './task-labels.js';

const tasks = [
  { name: 'queue', labels: ['onboarding_kyc', 'payments_transfers'], temperature: 1, threshold: 0.5 },
  { name: 'topic', labels: ['login_2fa'], temperature: 1, threshold: 0.5 },
];

describe('classifierTasks', () => {
  it("carries each task's aliases from the stored training config", () => {
    const trainingConfig = { columns: {}, tasks: [{ name: 'queue', aliases: { kyc: 'onboarding_kyc', transfers: 'payments', payments: 'payments_transfers' } }, { name: 'topic', retired: ['paper_statements'] }] };
    const [queue, topic] = classifierTasks({ tasks, trainingConfig });
    expect(queue).toEqual({ name: 'queue', labels: ['onboarding_kyc', 'payments_transfers'], aliases: trainingConfig.tasks[0].aliases });
    expect(topic).toEqual({ name: 'topic', labels: ['login_2fa'], retired: ['paper_statements'] });
    expect(['kyc', 'transfers', 'onboarding_kyc', 'unknown'].map((l) => currentLabel(queue, l))).toEqual(['onboarding_kyc', 'payments_transfers', 'onboarding_kyc', 'unknown']);
  });

  it('has no aliases without a training config, and stops at a loop', () => {
    expect(classifierTasks({ tasks, trainingConfig: undefined }).every((t) => t.aliases === undefined)).toBe(true);
    expect(currentLabel({ name: 'q', labels: [], aliases: { a: 'b', b: 'a' } }, 'a')).toBe('a');
  });
});
