/**
 * Property test of reading a training config: valid configs and near-valid ones (a value replaced by any JSON
 * value, a key removed, an unknown key added, labels and aliases drawn from a small pool so that chains, loops,
 * repeats and names such as `constructor`, `other` and `__proto__` meet) either parse, into a config whose
 * references hold, or are refused with a TrainingConfigError that names the field; never another error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig, type TrainingConfig } from './config.js';
import { TrainingConfigError } from './errors.js';
import { readLabel, resolveLabel } from './taxonomy.js';

/** Labels that meet each other: JavaScript's own member names, `other`, forms that read as one label. */
const LABEL = fc.constantFrom('a', 'b', 'c', 'other', 'constructor', 'toString', '__proto__', ' __proto__', ' a', 'Ü', 'U\u0308', '⚠️', '⚠', '', 'hasOwnProperty');
const TASK_NAME = fc.constantFrom('queue', 'topic', 'constructor', 'toString', 'valueOf', '__proto__', 'q-1');

const task = fc.record(
  {
    name: TASK_NAME,
    column: fc.constantFrom('queue', 'Geschäftsbereich', ''),
    labels: fc.array(LABEL, { maxLength: 5 }),
    aliases: fc.dictionary(LABEL, LABEL, { maxKeys: 4 }),
    retired: fc.array(LABEL, { maxLength: 2 }),
    minCount: fc.constantFrom(1, 3, 0, 2.5),
    rare: fc.constantFrom('other', 'drop', 'merge'),
  },
  { requiredKeys: ['name'] },
);

const split = fc.oneof(
  fc.record({ kind: fc.constantFrom('stratified', 'time', 'random'), on: TASK_NAME, testShare: fc.double({ min: -0.1, max: 1, noNaN: true }), validShare: fc.double({ min: -0.1, max: 1, noNaN: true }), seed: fc.integer() }, { requiredKeys: [] }),
  fc.constant(undefined),
);

/** A config of the right shape, whose values may contradict each other. */
const config = fc.record(
  {
    columns: fc.record({ subject: fc.constant('subject'), body: fc.constant('body'), receivedAt: fc.constant('received'), bank: fc.constant('bank') }, { requiredKeys: [] }),
    tasks: fc.array(task, { minLength: 1, maxLength: 3 }),
    split,
    routing: fc.record({ queueTask: TASK_NAME }),
    model: fc.dictionary(fc.constantFrom('epochs', 'dim', 'epoch', 'seed', 'charNgrams', 'mode'), fc.oneof(fc.integer({ min: -2, max: 64 }), fc.constant([3, 5]), fc.constant('multi-task')), { maxKeys: 3 }),
    onBadRow: fc.constantFrom('fail', 'skip', 'ignore'),
    delimiter: fc.constantFrom(',', ';', '\t', 'tab', ''),
  },
  { requiredKeys: ['columns', 'tasks'] },
);

/** Any JSON value, to put where a field belongs. */
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], {}, '__proto__', 'constructor', -1, Number.MAX_VALUE));

type Json = Record<string, unknown>;

/** The config with the value at one path (picked by `pick`) replaced by `value`, or removed (`value` undefined). */
function mutate(root: unknown, pick: number, value: unknown): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, at: Array<string | number>) => {
    paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Json)[k], [...at, k]);
  };
  walk(root, []);
  const at = paths[pick % paths.length];
  if (at.length === 0) return value;
  const copy = structuredClone(root) as Json;
  let parent: Json = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Json;
  const last = at[at.length - 1];
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** As `loadTrainingConfig` hands a file's text on: through JSON, where `__proto__` is an own key. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

/** What a parsed config promises to the code that reads data with it. */
function checkParsed(cfg: TrainingConfig): void {
  const names = cfg.tasks.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  if (cfg.split.kind === 'stratified') expect(names).toContain(cfg.split.on);
  if (cfg.split.kind === 'time') expect(cfg.columns.receivedAt).toBeDefined();
  if (cfg.routing) expect(names).toContain(cfg.routing.queueTask);
  expect(cfg.split.testShare + cfg.split.validShare).toBeLessThan(0.95);
  expect(cfg.split.validShare).toBeGreaterThan(0);
  for (const t of cfg.tasks) {
    expect(t.name).not.toBe('__proto__');
    const labels = t.labels;
    if (labels) expect(new Set(labels).size).toBe(labels.length);
    for (const l of [...(labels ?? []), ...t.retired, ...Object.keys(t.aliases), ...Object.values(t.aliases)]) {
      expect(l).not.toBe('__proto__');
      // Read as the data's labels are.
      expect(readLabel(l)).toBe(l);
    }
    // Every alias ends, and in a task with labels ends at one of them or at a retired label.
    for (const from of Object.keys(t.aliases)) {
      const resolved = resolveLabel(t, from);
      expect(resolved.kind).not.toBe('alias-cycle');
      if (labels) expect(['label', 'retired']).toContain(resolved.kind);
    }
    for (const l of labels ?? []) expect(resolveLabel(t, l)).toEqual({ kind: 'label', label: l });
  }
}

/** Parses, and checks that the config either holds together or is refused for a named field. */
function parsesOrNamesField(value: unknown): void {
  let cfg: TrainingConfig;
  try {
    cfg = parseTrainingConfig(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^training config: \S/);
    // The first problem names where it is: a path (a key that is not a plain name quoted), (root) or the field that
    // is required; none is JavaScript's own.
    expect(message.slice('training config: '.length)).toMatch(/^(\(root\)|[A-Za-z$][\w$]*)(\.([\p{L}\p{M}\p{N}_$-]+|"([^"\\]|\\.)*"))*(:| is required)/u);
    expect(message).not.toMatch(/\[object |undefined|NaN|function /);
    return;
  }
  checkParsed(cfg);
  // No alias is dropped without a word: one for each old name as labels are read.
  const given = (value as { tasks: Array<{ aliases?: Record<string, string> }> }).tasks;
  cfg.tasks.forEach((t, i) => expect(Object.keys(t.aliases).length).toBe(new Set(Object.keys(given[i].aliases ?? {}).map(readLabel)).size));
}

describe('training config (property)', () => {
  it('parses a config or refuses it naming the field, whatever its taxonomy and references', () => {
    fc.assert(fc.property(config, (c) => parsesOrNamesField(viaJson(c))), { seed: 1, numRuns: 500 });
  });

  it('refuses any JSON value in any place with a message naming the field, never another error', () => {
    fc.assert(
      fc.property(config, fc.nat(), fc.option(anyJson, { nil: undefined }), (c, pick, value) => parsesOrNamesField(viaJson(mutate(viaJson(c), pick, value)))),
      { seed: 2, numRuns: 500 },
    );
  });

  it('refuses what is not an object at all', () => {
    fc.assert(fc.property(anyJson, (value) => parsesOrNamesField(value)), { seed: 3, numRuns: 200 });
  });
});
