import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelStatus } from '../contracts.js';
import { RegistryError, type RegistryErrorCode } from './errors.js';
import { createLocalRegistry, RegistryIndexSchema, type LocalModelRegistry } from './local-registry.js';
import { loadableManifest } from './test-artifact.js';

// A model of the local registry's README rules, run against the registry by fast-check's commands: register,
// approve (promote, force), reject, setChampion, recordGate, and calls with ids it does not hold. After each
// command the registry's statuses, champion and champion history are the model's, and a refusal is the
// RegistryError the README names (never a TypeError), with nothing changed.

const FUZZ_RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 30);
const FUZZ_SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

const root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-registry-model-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const IDS = ['m-a', 'm-b', 'm-c', 'm-d'];
/** Ids no model has: path-like, empty, NUL, very long, a version number, a near miss. */
const STRANGERS = ['../m-a', 'models/m-a', '/etc/passwd', '', '.', '..', 'm-a\0', 'm-a/', '1', 'm-e', 'x'.repeat(5000), '__proto__', 'constructor'];

/** One small artifact per id (the registry checks hashes, never loads ONNX), made once and registered by copy. */
const artifacts = new Map(
  IDS.map((id) => {
    const dir = path.join(root, 'artifacts', id);
    mkdirSync(dir, { recursive: true });
    const onnx = Buffer.from(`onnx bytes of ${id}`);
    writeFileSync(path.join(dir, 'model.onnx'), onnx);
    const files = { 'model.onnx': createHash('sha256').update(onnx).digest('hex') };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(loadableManifest(id, ['queue'], files, { dataHash: 'd' })));
    return [id, dir];
  }),
);

interface Model {
  /** Per version: its status, every status it had (`history`), and whether its last recorded gate failed. */
  versions: Map<string, { version: number; status: ModelStatus; statuses: ModelStatus[]; gateFailed: boolean }>;
  champion: string | null;
  /** Every champion, oldest first, as the README's rollback reads it. */
  history: string[];
}

interface Real {
  reg: LocalModelRegistry;
  home: string;
}

/** The README's rollback: the latest earlier champion still Approved, else the newest Approved whose gate did not fail, else none. */
function expectedRollback(m: Model, rejected: string): string | null {
  for (const id of [...m.history].reverse()) if (id !== rejected && m.versions.get(id)?.status === 'Approved') return id;
  let best: string | null = null;
  for (const [id, v] of m.versions) {
    if (id === rejected || v.status !== 'Approved' || v.gateFailed) continue;
    if (best === null || v.version > m.versions.get(best)!.version) best = id;
  }
  return best;
}

function setChampion(m: Model, id: string | null): void {
  if (m.champion === id) return;
  if (id !== null) m.history.push(id);
  m.champion = id;
}

/** Runs `call`; the code of the RegistryError it threw, or undefined when it did not throw (any other error fails). */
async function outcome(call: () => Promise<unknown>): Promise<RegistryErrorCode | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return error.code;
  }
}

/** The registry as the model has it: statuses, versions, champion and its history; registry.json valid. */
async function checkAgainst(m: Model, r: Real): Promise<void> {
  const file = path.join(r.home, 'registry.json');
  // No index yet: nothing was ever written, as a refusal on a new registry leaves it.
  const index = existsSync(file) ? RegistryIndexSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : { champion: null };
  const listed = Object.fromEntries((await r.reg.list()).map((v) => [v.id, { version: v.version, status: v.status, statuses: v.history?.map((h) => h.status) }]));
  const modelled = Object.fromEntries([...m.versions].map(([id, v]) => [id, { version: v.version, status: v.status, statuses: v.statuses }]));
  expect(listed).toEqual(modelled);
  expect((await r.reg.champion())?.id ?? null).toBe(m.champion);
  expect(index.champion).toBe(m.champion);
  expect(await r.reg.championHistory()).toEqual(m.history);
  // Nothing but the index and the models (the lock is gone between calls): no file named by a stranger id.
  expect(readdirSync(r.home).filter((e) => e !== 'registry.json')).toEqual(['models']);
  expect(readdirSync(path.join(r.home, 'models')).sort()).toEqual([...m.versions.keys()].sort());
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Register implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const code = await outcome(() => r.reg.register(artifacts.get(this.id)!));
    if (m.versions.has(this.id)) expect(code).toBe('REGISTRY_DUPLICATE');
    else {
      expect(code).toBeUndefined();
      const version = Math.max(0, ...[...m.versions.values()].map((v) => v.version)) + 1;
      m.versions.set(this.id, { version, status: 'PendingManualApproval', statuses: ['PendingManualApproval'], gateFailed: false });
    }
    await checkAgainst(m, r);
  }
  toString = () => `register(${this.id})`;
}

class Approve implements Cmd {
  constructor(readonly id: string, readonly promote: boolean | undefined, readonly force: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const code = await outcome(() => r.reg.approve(this.id, { by: 'lead', promote: this.promote, force: this.force }));
    const v = m.versions.get(this.id);
    let expected: RegistryErrorCode | undefined;
    if (!v) expected = 'REGISTRY_NOT_FOUND';
    else if (v.status === 'Rejected' && !this.force) expected = 'REGISTRY_REJECTED';
    else if (v.status !== 'Approved' && v.gateFailed && !this.force) expected = 'REGISTRY_GATE_FAILED';
    expect(code).toBe(expected);
    if (v && expected === undefined) {
      // Approving an Approved version again only promotes: its first approval stays the decision on record.
      if (v.status !== 'Approved') v.statuses.push('Approved');
      v.status = 'Approved';
      if (this.promote !== false) setChampion(m, this.id);
    }
    await checkAgainst(m, r);
  }
  toString = () => `approve(${JSON.stringify(this.id)}, promote ${this.promote}, force ${this.force})`;
}

class Reject implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const code = await outcome(() => r.reg.reject(this.id, { note: 'worse' }));
    const v = m.versions.get(this.id);
    expect(code).toBe(v ? undefined : 'REGISTRY_NOT_FOUND');
    if (v && v.status !== 'Rejected') {
      v.status = 'Rejected';
      v.statuses.push('Rejected');
      if (m.champion === this.id) setChampion(m, expectedRollback(m, this.id));
    }
    await checkAgainst(m, r);
  }
  toString = () => `reject(${JSON.stringify(this.id)})`;
}

class SetChampion implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const code = await outcome(() => r.reg.setChampion(this.id));
    const v = m.versions.get(this.id);
    expect(code).toBe(!v ? 'REGISTRY_NOT_FOUND' : v.status !== 'Approved' ? 'REGISTRY_NOT_APPROVED' : undefined);
    if (v?.status === 'Approved') setChampion(m, this.id);
    await checkAgainst(m, r);
  }
  toString = () => `setChampion(${JSON.stringify(this.id)})`;
}

class RecordGate implements Cmd {
  constructor(readonly id: string, readonly pass: boolean) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const gate = { pass: this.pass, champion: m.champion ?? 'none', failed: this.pass ? [] : ['macro_f1: -3 points'], thresholds: { maxMacroF1DropPoints: 1 }, at: '2026-12-01T00:00:00Z' };
    const code = await outcome(() => r.reg.recordGate(this.id, gate));
    const v = m.versions.get(this.id);
    // Only a version awaiting its decision takes a gate: a decided one keeps the gate its decision was made on.
    expect(code).toBe(!v ? 'REGISTRY_NOT_FOUND' : v.status !== 'PendingManualApproval' ? 'REGISTRY_DECIDED' : undefined);
    if (v?.status === 'PendingManualApproval') v.gateFailed = !this.pass;
    await checkAgainst(m, r);
  }
  toString = () => `recordGate(${JSON.stringify(this.id)}, ${this.pass})`;
}

/** Reads with an id: a stranger is REGISTRY_NOT_FOUND from get and artifactDir, a known id its own directory. */
class Read implements Cmd {
  constructor(readonly id: string) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const known = m.versions.has(this.id);
    expect(await outcome(() => r.reg.get(this.id))).toBe(known ? undefined : 'REGISTRY_NOT_FOUND');
    let dir: string | undefined;
    expect(await outcome(async () => (dir = await r.reg.artifactDir(this.id)))).toBe(known ? undefined : 'REGISTRY_NOT_FOUND');
    if (known) expect(dir).toBe(path.join(r.home, 'models', this.id));
  }
  toString = () => `read(${JSON.stringify(this.id.slice(0, 20))})`;
}

const idArb = fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...IDS) }, { weight: 1, arbitrary: fc.constantFrom(...STRANGERS) });
const approveArb = fc.tuple(idArb, fc.constantFrom(undefined, true, false), fc.boolean()).map(([id, promote, force]) => new Approve(id, promote, force));
const rejectArb = idArb.map((id) => new Reject(id));
const commands = [
  fc.constantFrom(...IDS).map((id) => new Register(id)),
  // Approvals three times as often as the rest: a rollback needs a few champions before the rejection.
  approveArb,
  approveArb,
  approveArb,
  rejectArb,
  idArb.map((id) => new SetChampion(id)),
  fc.tuple(idArb, fc.boolean()).map(([id, pass]) => new RecordGate(id, pass)),
  idArb.map((id) => new Read(id)),
];

describe('LocalModelRegistry against a model of its README', () => {
  it('keeps statuses, champion and champion history as the README says, and refuses with its codes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
        const home = path.join(root, `home-${run++}`);
        mkdirSync(path.join(home, 'models'), { recursive: true });
        const reg = createLocalRegistry({ home, lock: { timeoutMs: 5000 } });
        // Three models from the start (m-d and duplicates are registered by commands): decisions are most of a run.
        const model: Model = { versions: new Map(), champion: null, history: [] };
        for (const id of IDS.slice(0, 3)) await new Register(id).run(model, { reg, home });
        await fc.asyncModelRun(() => ({ model, real: { reg, home } }), cmds);
        // Nothing was written beside the home by an id that looks like a path.
        expect(readdirSync(root).filter((e) => !e.startsWith('home-') && e !== 'artifacts')).toEqual([]);
        rmSync(home, { recursive: true, force: true });
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  }, 60_000);
});
