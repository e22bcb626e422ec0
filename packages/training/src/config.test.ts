import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from './config.js';
import { TrainingConfigError } from './errors.js';
import { resolveLabel } from './taxonomy.js';

const ok = { columns: { body: 'body' }, tasks: [{ name: 'queue' }], split: { kind: 'stratified', on: 'queue' } };

describe('training config', () => {
  it('fills defaults', () => {
    const c = parseTrainingConfig(ok);
    expect(c.format).toBe('csv');
    expect(c.onBadRow).toBe('fail');
    expect(c.tasks[0].minCount).toBe(1);
    expect(c.split).toEqual({ kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 });
  });

  it('splits stratified on the first task when the config names no split', () => {
    const c = parseTrainingConfig({ columns: { body: 'body' }, tasks: [{ name: 'topic' }, { name: 'queue' }] });
    expect(c.split).toEqual({ kind: 'stratified', on: 'topic', testShare: 0.2, validShare: 0.1, seed: 0 });
  });

  it('refuses a split on an unknown task, a time split without times, duplicate tasks', () => {
    expect(() => parseTrainingConfig({ ...ok, split: { kind: 'stratified', on: 'topic' } })).toThrow(/split\.on: split\.on "topic" is not a task/);
    expect(() => parseTrainingConfig({ ...ok, split: { kind: 'time' } })).toThrow(TrainingConfigError);
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue' }, { name: 'queue' }] })).toThrow(/appears twice/);
    expect(() => parseTrainingConfig({ ...ok, columns: { bank: 'bank' } })).toThrow(/at least one of subject, body, html/);
  });

  it('follows alias chains (rename then merge), and detects cycles', () => {
    const task = parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', labels: ['c'], aliases: { a: 'b', b: 'c' }, retired: ['old'] }] }).tasks[0];
    expect(resolveLabel(task, 'a')).toEqual({ kind: 'label', label: 'c', renamedFrom: 'a' });
    expect(resolveLabel(task, ' c ')).toEqual({ kind: 'label', label: 'c' });
    expect(resolveLabel(task, 'old')).toEqual({ kind: 'retired', label: 'old' });
    expect(resolveLabel(task, '')).toEqual({ kind: 'missing' });
    expect(resolveLabel(task, 'zzz')).toEqual({ kind: 'unknown', label: 'zzz' });
    const cyc = parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', aliases: { a: 'b', b: 'a' } }] }).tasks[0];
    expect(resolveLabel(cyc, 'a').kind).toBe('alias-cycle');
  });
});

describe('trainingConfigJsonSchema', () => {
  it('describes the config for tools outside TypeScript', async () => {
    const { trainingConfigJsonSchema } = await import('./config.js');
    const schema = trainingConfigJsonSchema() as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['columns', 'tasks', 'split', 'model', 'onBadRow']));
    expect(schema.required).toEqual(expect.arrayContaining(['columns', 'tasks']));
    expect(schema.required).not.toContain('split');
  });
});
