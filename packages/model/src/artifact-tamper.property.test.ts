import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from './artifact.js';
import { Classifier } from './classifier.js';
import { writeFixture } from './classifier-fixture.js';
import { ArtifactError } from './errors.js';
import { oddJsonValue, pathsOf, withValue } from './json-edits.js';

// A damaged artifact, in the ways hand edits and buggy exporters damage one: manifest.json's bytes cut or
// changed, a field of it deleted or given another value, model.onnx's bytes changed (its sha256 updated in
// the manifest, as an exporter writes it). Classifier.load either refuses it with an ArtifactError naming the
// artifact, or loads a model that answers: never a TypeError, never a model that fails every call.

const FUZZ_RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 40);
const FUZZ_SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

let root: string;
let good: string;
let manifest: Record<string, unknown>;
let manifestText: string;
let onnx: Buffer;
let run = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-tamper-'));
  good = path.join(root, 'good');
  await writeFixture(good, 0.5);
  manifestText = await readFile(path.join(good, 'manifest.json'), 'utf8');
  manifest = JSON.parse(manifestText) as Record<string, unknown>;
  onnx = await readFile(path.join(good, 'model.onnx'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the good artifact with `files` written over it; its directory. */
async function tampered(files: Record<string, string | Buffer>): Promise<string> {
  const dir = path.join(root, `t-${run++}`);
  await cp(good, dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) await writeFile(path.join(dir, name), data);
  return dir;
}

/** Loads `dir`: refused with an ArtifactError naming it, or a model whose answers have every task's labels. */
async function loadsOrRefuses(dir: string): Promise<void> {
  let classifier: Classifier;
  try {
    classifier = await Classifier.load(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ArtifactError);
    expect((error as Error).message).toContain(dir);
    return;
  }
  try {
    const predictions = await classifier.predict([{ subject: 'Sparplan', body: 'kyc login steuer' }, { body: 'payments' }]);
    for (const p of predictions) {
      for (const task of classifier.manifest.tasks) {
        const answer = p.tasks[task.name];
        expect(task.labels).toContain(answer.label);
        // An answer not abstained is a probability over the threshold (weights made NaN give none: it abstains).
        if (!answer.abstained) expect(answer.confidence).toBeGreaterThanOrEqual(task.threshold);
        if (!answer.abstained) expect(answer.confidence).toBeLessThanOrEqual(1);
        // A number in [0, 1] even then: NaN would be null in JSON.
        expect(answer.confidence >= 0 && answer.confidence <= 1).toBe(true);
      }
    }
  } finally {
    await classifier.release();
  }
}

describe('Classifier.load of a damaged artifact', () => {
  it('refuses a manifest.json cut short or with bytes changed, or loads a model that answers', async () => {
    const bytes = Buffer.from(manifestText);
    const damage = fc.oneof(
      fc.nat({ max: bytes.length - 1 }).map((at) => bytes.subarray(0, at)),
      fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
        const copy = Buffer.from(bytes);
        copy[at] = b;
        return copy;
      }),
    );
    await fc.assert(
      fc.asyncProperty(damage, async (text) => loadsOrRefuses(await tampered({ 'manifest.json': text }))),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  }, 60_000);

  it('refuses a manifest with a field deleted or given another value, or loads a model that answers', async () => {
    const paths = pathsOf(manifest).filter((p) => p.length > 0 && p[0] !== 'files');
    // The tasks' labels more often: a label count that is not the graph's must be refused at load.
    const labelPaths = paths.filter((p) => p[0] === 'tasks' && p[2] === 'labels');
    const edit = fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...paths) }, { weight: 1, arbitrary: fc.constantFrom(...labelPaths) }), oddJsonValue);
    await fc.assert(
      fc.asyncProperty(edit, async ([at, value]) => loadsOrRefuses(await tampered({ 'manifest.json': JSON.stringify(withValue(manifest, at, value)) }))),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS * 2 },
    );
  }, 60_000);

  it('refuses a model.onnx with bytes changed and its sha256 updated, or loads a model that answers', async () => {
    const damage = fc.oneof(
      fc.nat({ max: onnx.length - 1 }).map((at) => onnx.subarray(0, at)),
      fc.array(fc.tuple(fc.nat({ max: onnx.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        const copy = Buffer.from(onnx);
        for (const [at, b] of edits) copy[at] = b;
        return copy;
      }),
      // A float32 NaN or infinity written over four bytes: in a weight, the model loads and its answers are NaN.
      fc.tuple(fc.nat({ max: onnx.length - 4 }), fc.constantFrom(Number.NaN, Infinity, -Infinity)).map(([at, value]) => {
        const copy = Buffer.from(onnx);
        copy.writeFloatLE(value, at);
        return copy;
      }),
    );
    await fc.assert(
      fc.asyncProperty(damage, async (bytes) => {
        const files = { ...(manifest.files as Record<string, string>), 'model.onnx': sha256(bytes) };
        await loadsOrRefuses(await tampered({ 'model.onnx': bytes, 'manifest.json': JSON.stringify({ ...manifest, files }) }));
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  }, 60_000);
});
