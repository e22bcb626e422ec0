import { describe, expect, it } from 'vitest';
import type { Manifest } from '@mailroute/model';
import { targetPrecisionOf, targetPrecisionsOf, trainingFactsOf } from './training-facts.js';

describe('targetPrecisionOf', () => {
  it("reads the precision the trainer used: its own record first, then the config's model value, then the config's", () => {
    // A config whose model block sets 0.7: the trainer chose its thresholds for 0.7, not the top-level 0.9.
    const trainingConfig = { targetPrecision: 0.9, model: { targetPrecision: 0.7 } };
    expect(targetPrecisionOf({ trainingConfig, training: { params: { targetPrecision: 0.7 } } })).toBe(0.7);
    expect(targetPrecisionOf({ trainingConfig })).toBe(0.7);
    expect(targetPrecisionOf({ trainingConfig: { targetPrecision: 0.85 } })).toBe(0.85);
    expect(targetPrecisionOf({ trainingConfig: { targetPrecision: 0.85 }, training: { params: { targetPrecision: 0.8 } } })).toBe(0.8);
  });

  it('leaves out what is no share', () => {
    expect(targetPrecisionOf({})).toBeUndefined();
    expect(targetPrecisionOf({ trainingConfig: { targetPrecision: 0 }, training: { params: { targetPrecision: '0.9' } } })).toBeUndefined();
    expect(targetPrecisionOf({ trainingConfig: { targetPrecision: 1.5, model: { targetPrecision: null } } })).toBeUndefined();
  });
});

describe('targetPrecisionsOf', () => {
  const tasks = [{ name: 'queue', labels: ['tax'] }, { name: 'topic', labels: ['x'] }] as Manifest['tasks'];

  it("gives each task its own target from the stored config, else the run's; one number while every task has the run's", () => {
    const trainingConfig = { targetPrecision: 0.9, tasks: [{ name: 'queue', targetPrecision: 0.95 }, { name: 'topic' }] };
    expect(targetPrecisionsOf({ tasks, trainingConfig, training: { params: { targetPrecision: 0.9 } } })).toEqual({ queue: 0.95, topic: 0.9 });
    // The run's is the trainer's (model.targetPrecision won over the top-level one), as targetPrecisionOf reads it.
    expect(targetPrecisionsOf({ tasks, trainingConfig: { ...trainingConfig, model: { targetPrecision: 0.8 } } })).toEqual({ queue: 0.95, topic: 0.8 });
    expect(targetPrecisionsOf({ tasks, trainingConfig: { targetPrecision: 0.9, tasks: [{ name: 'queue' }, { name: 'topic' }] } })).toBe(0.9);
    expect(targetPrecisionsOf({ tasks, trainingConfig: { targetPrecision: 0.9, tasks: [{ name: 'queue', targetPrecision: 0.9 }] } })).toBe(0.9);
    // The model card is told the same.
    const manifest = { modelId: 'm', createdAt: '2026-12-04T00:00:00Z', dataHash: 'abc', tasks, trainingConfig } as unknown as Manifest;
    expect(trainingFactsOf(manifest).targetPrecision).toEqual({ queue: 0.95, topic: 0.9 });
  });

  it("leaves out a task whose target is unknown, and a task's own that is no share", () => {
    expect(targetPrecisionsOf({ tasks })).toBeUndefined();
    expect(targetPrecisionsOf({ tasks, trainingConfig: { tasks: [{ name: 'queue', targetPrecision: 0.95 }] } })).toEqual({ queue: 0.95 });
    expect(targetPrecisionsOf({ tasks, trainingConfig: { targetPrecision: 0.9, tasks: [{ name: 'queue', targetPrecision: 95 }, 'topic'] } })).toBe(0.9);
  });
});

describe('trainingFactsOf', () => {
  it("reads the near-duplicate count of training's test split when it is two counts, near at most judged", () => {
    const manifest = (training: unknown) => ({ modelId: 'm', createdAt: '2026-12-04T00:00:00Z', dataHash: 'abc', tasks: [], training }) as unknown as Manifest;
    expect(trainingFactsOf(manifest({ testNearDuplicates: { near: 425, judged: 799 } })).testNearDuplicates).toEqual({ near: 425, judged: 799 });
    expect(trainingFactsOf(manifest({ testNearDuplicates: { near: 800, judged: 799 } })).testNearDuplicates).toBeUndefined();
    expect(trainingFactsOf(manifest({ testNearDuplicates: { near: '4' } })).testNearDuplicates).toBeUndefined();
    expect(trainingFactsOf(manifest({})).testNearDuplicates).toBeUndefined();
  });
});
