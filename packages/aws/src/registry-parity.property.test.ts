// Parity of the two registries, as the contract suite (registry-contract.test.ts) intends it, on random
// sequences: register / approve / reject / set champion / record gate / get / list through S3SageMakerRegistry (s3rver and the
// fake model package group, which refuses what SageMaker refuses) answer as the local registry does for the same
// sequence: the same statuses, champion, decisions (who, note) and facts read back (task names with non-ASCII
// letters or Object's own names, nested metrics), refusals by the same code; and the same audit trail: each version's
// history of decisions (who, note, the gate each was made on) and the champion history (how, who, why). The one refusal of AWS's own is
// REGISTRY_NOT_SUPPORTED (the README's *Champion and deployment*): a champion other than the version approved last;
// it changes nothing, so the local registry is not asked.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalRegistry, RegistryError, type GateRecord, type LocalModelRegistry, type ModelRegistry, type ModelVersion } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { approvalDescription, decodeMeta, encodeMeta } from './registry-metadata.js';
import { registryFixture } from './test-support/registry-fixture.js';

const SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);
const RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 30);

const fixture = registryFixture('registry-parity');

/** A registry with the champion history `mailroute registry history` reads (the local registry's methods for it). */
type AuditedRegistry = ModelRegistry & Pick<LocalModelRegistry, 'championChanges' | 'championHistory' | 'championHistoryComplete'>;

const IDS = ['m-a', 'm-b', 'm-c'];
/** An id no artifact has. */
const STRANGER = 'm-x';

/** A person's words: ASCII, umlauts and other letters, punctuation SageMaker's metadata refuses, Object's own names. */
const words = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('constructor', 'toString', '__proto__', 'Jürgen Müller', "O'Brien", 'schlechter bei Beschwerden (F1 -0,04), siehe #12', '=3D'),
);
/** A decision's note: words, or a long text with characters the metadata escapes (over its 256, or 1,000). */
const decisionNote = fc.oneof(words, fc.string({ unit: fc.constantFrom('a', 'ä', ',', ' ', '😀'), minLength: 100, maxLength: 1100 }));
/** Task names the package metadata can hold (the pure property covers those refused): non-empty, no ",". */
const taskName = fc.oneof(fc.constantFrom('queue', 'Geschäftsbereich', 'constructor', 'toString', 'priorität', 'área', 'タスク'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })).filter((t) => !t.includes(','));
const leaf = fc.double({ noNaN: true, noDefaultInfinity: true });
const metricKey = fc.oneof(fc.constantFrom('macro_f1', 'constructor', 'toString', 'f1 (billing)', 'Genauigkeit'), fc.string({ minLength: 1, maxLength: 10 }));
/** Metrics nested up to four levels, as a manifest's per-task and per-label figures are. */
const metrics = fc.letrec((tie) => ({
  node: fc.dictionary(metricKey, fc.oneof({ depthSize: 'small', maxDepth: 3 }, leaf, tie('node')), { maxKeys: 3 }),
})).node;
const facts = fc.record({ tasks: fc.uniqueArray(taskName, { minLength: 1, maxLength: 3 }), metrics, dataHash: words.filter((s) => s !== ''), note: fc.option(words, { nil: undefined }) });

const op = fc.oneof(
  fc.record({ kind: fc.constant('register' as const), id: fc.constantFrom(...IDS) }),
  fc.record({ kind: fc.constant('approve' as const), id: fc.constantFrom(...IDS, STRANGER), force: fc.boolean(), by: fc.option(words, { nil: undefined }), note: fc.option(decisionNote, { nil: undefined }) }),
  fc.record({ kind: fc.constant('reject' as const), id: fc.constantFrom(...IDS, STRANGER), by: fc.option(words, { nil: undefined }), note: fc.option(decisionNote, { nil: undefined }) }),
  fc.record({ kind: fc.constant('setChampion' as const), id: fc.constantFrom(...IDS, STRANGER), by: fc.option(words, { nil: undefined }), note: fc.option(decisionNote, { nil: undefined }) }),
  fc.record({ kind: fc.constant('recordGate' as const), id: fc.constantFrom(...IDS, STRANGER), pass: fc.boolean() }),
  fc.record({ kind: fc.constant('get' as const), id: fc.constantFrom(...IDS, STRANGER) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
type Facts = typeof facts extends fc.Arbitrary<infer T> ? T : never;

async function artifact(id: string, f: Facts): Promise<string> {
  const dir = path.join(fixture.root, `artifact-${fixture.next()}`);
  return writeLoadableArtifact(dir, id, { onnx: Buffer.from(`onnx of ${id}`), tasks: f.tasks, extra: { dataHash: f.dataHash, metrics: f.metrics } });
}

/** The call's result, or the code of the RegistryError it threw (any other error fails the property). */
async function outcome<T>(call: () => Promise<T>): Promise<{ ok: T } | { code: string }> {
  try {
    return { ok: await call() };
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return { code: error.code };
  }
}

const passedGate: GateRecord = { pass: true, champion: 'm-0', failed: [], thresholds: { maxMacroF1DropPoints: 0.5 }, at: '2026-12-01T09:00:00.000Z' };
const failedGate: GateRecord = { ...passedGate, pass: false, failed: ['queue: macro-F1 drop ≤ 0.5 pts: 0.8 → 0.7'] };
/** The note of an approval with force over a failed gate: each registry puts the override and the person's note in its own order. */
const OVERRIDE = 'approved with force over a failed gate';

/** What SageMaker's metadata keeps of a text: the README's 256 characters, `=XX` escapes included. */
const kept = (text: string | undefined) => (text ? decodeMeta(encodeMeta(text)) : undefined);
/** What the AWS registry keeps of a decision's note: its first 1,000 characters (ApprovalDescription). */
const keptNote = (text: string | undefined) => (text ? approvalDescription(text) : undefined);
const whole = (text: string | undefined) => text || undefined;

/** A decision's note as both registries keep it in their records: whole, the override said in each one's order. */
const recorded = (note: string | undefined) => (note?.includes(OVERRIDE) ? OVERRIDE : note);

/**
 * A version as both registries can tell it (no times or sha256: each keeps its own); `cut` and `cutNote` as AWS keeps
 * texts in the package. The history (each decision, with the gate it was made on) is kept whole by both.
 */
function shown(v: ModelVersion, cut = whole, cutNote = whole) {
  const statusNote = v.statusNote?.includes(OVERRIDE) ? OVERRIDE : cutNote(v.statusNote);
  const history = v.history?.map((d) => ({ status: d.status, by: d.by, note: recorded(d.note), gate: d.gate }));
  return { id: v.id, version: v.version, status: v.status, tasks: v.tasks, dataHash: v.dataHash, metrics: v.metrics, note: cut(v.note), by: cut(v.statusChangedBy), statusNote, gate: v.gate, history };
}

/** The champion history as both registries can tell it (no times). */
async function championTrail(registry: AuditedRegistry) {
  const changes = (await registry.championChanges()).map((c) => ({ id: c.id, via: c.via, by: c.by, note: recorded(c.note) }));
  return { changes, ids: await registry.championHistory(), complete: await registry.championHistoryComplete() };
}

async function call(registry: ModelRegistry, o: Op, dirs: Map<string, string>): Promise<{ ok: unknown } | { code: string }> {
  switch (o.kind) {
    case 'register':
      return outcome(() => registry.register(dirs.get(o.id)!, { note: o.id === 'm-b' ? undefined : `note of ${o.id}` }));
    case 'approve':
      return outcome(() => registry.approve(o.id, { force: o.force, by: o.by, note: o.note }));
    case 'reject':
      return outcome(() => registry.reject(o.id, { by: o.by, note: o.note }));
    case 'setChampion':
      return outcome(() => registry.setChampion(o.id, { by: o.by, note: o.note }));
    case 'recordGate':
      return outcome(() => registry.recordGate(o.id, o.pass ? passedGate : failedGate));
    case 'get':
      return outcome(() => registry.get(o.id));
  }
}

describe('S3SageMakerRegistry answers as the local registry', () => {
  it('for random sequences of register, approve, reject, setChampion, recordGate and get, with the same audit trail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(facts, facts, facts), fc.array(op, { minLength: 1, maxLength: 14 }), async (allFacts, ops) => {
        const dirs = new Map(await Promise.all(IDS.map(async (id, i) => [id, await artifact(id, allFacts[i])] as const)));
        const aws = fixture.registry();
        const local = createLocalRegistry({ home: path.join(fixture.root, `home-${fixture.next()}`) });
        for (const o of ops) {
          const a = await call(aws, o, dirs);
          if ('code' in a && a.code === 'REGISTRY_NOT_SUPPORTED') {
            // Only a champion the endpoint would not serve: setChampion, or approving again an Approved version.
            expect(o.kind === 'setChampion' || (o.kind === 'approve' && (await local.get(o.id)).status === 'Approved'), JSON.stringify(o)).toBe(true);
            expect((await local.champion())?.id, JSON.stringify(o)).not.toBe(o.id);
            continue;
          }
          const l = await call(local, o, dirs);
          expect('code' in a ? a.code : 'ok', JSON.stringify(o)).toBe('code' in l ? l.code : 'ok');
          if ('ok' in a && 'ok' in l && a.ok && l.ok) expect(shown(a.ok as ModelVersion), JSON.stringify(o)).toEqual(shown(l.ok as ModelVersion, kept, keptNote));
          expect((await aws.list()).map((v) => shown(v)), JSON.stringify(o)).toEqual((await local.list()).map((v) => shown(v, kept, keptNote)));
          expect((await aws.champion())?.id, JSON.stringify(o)).toBe((await local.champion())?.id);
          expect(await championTrail(aws), JSON.stringify(o)).toEqual(await championTrail(local));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
