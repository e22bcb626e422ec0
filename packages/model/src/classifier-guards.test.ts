import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Email } from '@mailroute/preprocess';
import p from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from './artifact.js';
import { Classifier } from './classifier.js';
import { buckets, names, writeFixture } from './classifier-fixture.js';
import { encodeIdfTable } from './idf-file.js';
import { ClassifierOptionsError, ClassifierReleasedError, PredictInputError } from './errors.js';
import type { Manifest } from './manifest.js';

const { onnx } = p;
/** An input of an ONNX graph as onnx-proto decodes it. */
type GraphInput = NonNullable<NonNullable<ReturnType<typeof onnx.ModelProto.decode>['graph']>['input']>[number];

let root: string;
let good: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-classifier-guards-'));
  good = path.join(root, 'good');
  await writeFixture(good, 0);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Classifier.load', () => {
  it('reads model.onnx and idf.f32 from disk once: the bytes hashed are the ones checked and loaded', async () => {
    const dir = path.join(root, 'read-once');
    await writeFixture(dir, 0, encodeIdfTable(new Float32Array(buckets).fill(1)));
    // The files on disk are cut short, the reader hands over the genuine bytes: a load that read either file
    // any other way (hashing it from disk, or reading it again for onnxruntime) sees the damage and refuses.
    const genuine = new Map<string, Buffer>();
    for (const name of ['model.onnx', 'idf.f32']) {
      genuine.set(name, await readFile(path.join(dir, name)));
      await writeFile(path.join(dir, name), 'cut');
    }
    const reads: string[] = [];
    const classifier = await Classifier.load(dir, {
      readFile: async (file) => {
        reads.push(path.basename(file));
        return genuine.get(path.basename(file)) ?? readFile(file);
      },
    });
    try {
      expect(reads.sort()).toEqual(['idf.f32', 'model.onnx']);
      const { probs } = await classifier.predictPrepared([{ text: 'kyc', meta: [] }]);
      expect(probs.queue[0] + probs.queue[1]).toBeCloseTo(1, 5);
    } finally {
      await classifier.release();
    }
  });

  it('refuses model.onnx bytes read that are not of the manifest\'s sha256, though the file on disk is', async () => {
    const dir = path.join(root, 'read-tampered');
    await cp(good, dir, { recursive: true });
    const readTampered = async (file: string) => {
      const bytes = await readFile(file);
      if (path.basename(file) === 'model.onnx') bytes[bytes.length - 3] ^= 0xff;
      return bytes;
    };
    await expect(Classifier.load(dir, { readFile: readTampered })).rejects.toMatchObject({ code: 'ARTIFACT_HASH_MISMATCH', message: expect.stringContaining('model.onnx') });
  });

  it('refuses a featurizer whose buckets differ from the rows of the ONNX table the ids index, naming both (the hashes are valid, as a buggy exporter writes them)', async () => {
    for (const [manifestBuckets, compact] of [[32, false], [2 ** 20, false], [128, true]] as const) {
      const dir = path.join(root, `buckets-${manifestBuckets}`);
      await writeFixture(dir, 0, undefined, names, { manifestBuckets, compact });
      const error = await Classifier.load(dir).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ARTIFACT_ONNX_MISMATCH' });
      expect((error as Error).message).toMatch(new RegExp(`table p0_${compact ? 'row_of' : 'embedding'} has 64 rows, the featurizer's buckets are ${manifestBuckets}`));
    }
  });

  it('refuses a manifest without a featurizer parameter (written elsewhere): never featurized with defaults its model was not trained on', async () => {
    const original = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as Manifest;
    for (const key of ['wordNgrams', 'charNgrams', 'buckets', 'pooling', 'maxChars'] as const) {
      const dir = path.join(root, `no-${key}`);
      await cp(good, dir, { recursive: true });
      const manifest = structuredClone(original);
      delete (manifest.featurizer.params as Partial<Manifest['featurizer']['params']>)[key];
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      const error = await Classifier.load(dir).catch((e: unknown) => e);
      expect(error, key).toMatchObject({ code: 'ARTIFACT_MANIFEST_INVALID', message: expect.stringContaining(`featurizer.params.${key}`) });
    }
    // idf came later: a manifest without it is read as before it existed, without an IDF table.
    const dir = path.join(root, 'no-idf');
    await cp(good, dir, { recursive: true });
    const manifest = structuredClone(original);
    delete (manifest.featurizer.params as Partial<Manifest['featurizer']['params']>).idf;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const classifier = await Classifier.load(dir);
    classifier.release();
  });

  it('refuses task labels of other counts than the ONNX outputs give, naming the output (a combined output read them without an error)', async () => {
    const original = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as Manifest;
    const cases: Array<[(m: Manifest) => void, RegExp]> = [
      // One label moved from topic to queue: the combined output has the 5 values it had, sliced 3 + 2.
      [(m) => ((m.tasks[0].labels = ['payments', 'kyc', 'sparplan']), (m.tasks[1].labels = ['login', 'steuer'])), /output probs_queue gives 2 probabilities per email, the manifest has 3 labels for task queue/],
      [(m) => (m.tasks[1].labels = ['sparplan', 'login']), /output probs_topic gives 3 probabilities per email, the manifest has 2 labels for task topic/],
    ];
    for (const [i, [edit, message]] of cases.entries()) {
      const dir = path.join(root, `label-count-${i}`);
      await cp(good, dir, { recursive: true });
      const manifest = structuredClone(original);
      edit(manifest);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      const error = await Classifier.load(dir).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ARTIFACT_ONNX_MISMATCH', message: expect.stringMatching(message) });
      expect((error as Error).message).toContain(`model.onnx in ${dir}`);
    }
  });

  it('refuses a graph that cannot run on one email (inputs of another rank or type than the runtime feeds)', async () => {
    const original = JSON.parse(await readFile(path.join(good, 'manifest.json'), 'utf8')) as Manifest;
    const bytes = await readFile(path.join(good, 'model.onnx'));
    const cases: Array<[(input: GraphInput) => void, RegExp]> = [
      // The weights declared as a vector [bag]: onnxruntime refuses every [batch, bag] feed.
      [(input) => input.name === names.inputs.weights && input.type?.tensorType?.shape?.dim?.pop(), /model\.onnx in .*: onnxruntime cannot run it on one email \(.*rank/i],
      // The ids declared int64: the runtime feeds int32.
      [(input) => input.name === names.inputs.ids && input.type?.tensorType && (input.type.tensorType.elemType = onnx.TensorProto.DataType.INT64), /model\.onnx in .*: onnxruntime cannot run it on one email \(.*type/i],
    ];
    for (const [i, [edit, message]] of cases.entries()) {
      const model = onnx.ModelProto.decode(bytes);
      for (const input of model.graph?.input ?? []) edit(input);
      const changed = onnx.ModelProto.encode(model).finish();
      const dir = path.join(root, `cannot-run-${i}`);
      await cp(good, dir, { recursive: true });
      await writeFile(path.join(dir, 'model.onnx'), changed);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...original, files: { ...original.files, 'model.onnx': sha256(changed) } }));
      const error = await Classifier.load(dir).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ARTIFACT_ONNX_MISMATCH', message: expect.stringMatching(message) });
    }
  });

  it('loads a compact table whose row_of has the featurizer\'s buckets, and answers as the full table does', async () => {
    const dir = path.join(root, 'compact');
    await writeFixture(dir, 0, undefined, names, { compact: true });
    const [compact, full] = await Promise.all([Classifier.load(dir), Classifier.load(good)]);
    try {
      const inputs = [{ text: 'kyc login sparplan', meta: ['lang=de'] }];
      const a = (await compact.predictPrepared(inputs)).probs.queue;
      const b = (await full.predictPrepared(inputs)).probs.queue;
      expect(a[0]).toBeCloseTo(b[0], 6);
      expect(Math.abs(a[0] - a[1])).toBeGreaterThan(0.01);
    } finally {
      await Promise.all([compact.release(), full.release()]);
    }
  });

  it('refuses options out of range as the caller\'s mistake, naming the option and its range, before reading the artifact', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ intraOpThreads: -1 }, /intraOpThreads must be a whole number from 1 to 1024, got -1/],
      [{ intraOpThreads: 1.5 }, /intraOpThreads .* got 1\.5/],
      [{ intraOpThreads: 0 }, /intraOpThreads/],
      [{ intraOpThreads: '2' }, /intraOpThreads .* got "2"/],
      [{ topK: Number.NaN }, /topK must be a whole number from 1 up, got NaN/],
      [{ topK: 0 }, /topK/],
    ];
    for (const [options, message] of cases) {
      const error = await Classifier.load(path.join(root, 'nowhere'), options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClassifierOptionsError);
      expect(error).toBeInstanceOf(RangeError);
      expect(error).toMatchObject({ code: 'CLASSIFIER_OPTIONS_INVALID' });
      expect((error as Error).message).toMatch(message);
    }
    const fine = await Classifier.load(good, { intraOpThreads: 2, topK: 1 });
    try {
      const [p] = await fine.predict([{ body: 'kyc' }]);
      expect(p.tasks.topic.top).toHaveLength(1);
    } finally {
      await fine.release();
    }
  });
});

describe('Classifier.release', () => {
  it('is idempotent, and calls after it are refused with a typed error', async () => {
    const classifier = await Classifier.load(good);
    await classifier.release();
    await expect(classifier.release()).resolves.toBeUndefined();
    for (const call of [() => classifier.predict([{ body: 'kyc' }]), () => classifier.predictPrepared([{ text: 'kyc', meta: [] }])]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClassifierReleasedError);
      expect(error).toMatchObject({ code: 'CLASSIFIER_RELEASED', message: expect.stringMatching(/ngram-bag-test was released/) });
    }
  });

  it('lets calls already running finish before it frees the session', async () => {
    const classifier = await Classifier.load(good);
    const emails = Array.from({ length: 300 }, (_, i) => ({ id: String(i), body: `kyc login ${'wort '.repeat(i % 50)}${i}` }));
    // The session itself, watched: it must be freed, and only once the runs on it are done.
    const session = (classifier as unknown as { session: { release(): Promise<void>; runBag(...args: unknown[]): Promise<unknown> } }).session;
    const [releaseSession, runSession] = [session.release.bind(session), session.runBag.bind(session)];
    const order: string[] = [];
    session.release = () => {
      order.push('released');
      return releaseSession();
    };
    session.runBag = (...args) => runSession(...args).then((out) => (order.push('ran'), out));
    const running = classifier.predict(emails);
    const released = classifier.release();
    const predictions = await running;
    await released;
    expect(predictions).toHaveLength(300);
    expect(predictions[299].id).toBe('299');
    expect(order.at(-1)).toBe('released');
    expect(order.filter((step) => step === 'released')).toHaveLength(1);
    expect(order).toContain('ran');
  });
});

describe('Classifier.predict input', () => {
  let classifier: Classifier;
  beforeAll(async () => {
    classifier = await Classifier.load(good);
  });
  afterAll(async () => {
    await classifier?.release();
  });

  it('flags as noText an email whose text makes no word or char n-gram (zero-width, emoji, combining marks, punctuation), meta tokens or not', async () => {
    const bodies = ['\u200b\u2060', '😀🙏', '\u0301\u0308\u0327', '?!... --- *** ///'];
    const predictions = await classifier.predict([...bodies.map((body) => ({ body, bank: 'Comdirect' })), { body: 'kyc 😀' }]);
    for (const p of predictions.slice(0, bodies.length)) {
      expect(p.noText).toBe(true);
      expect(p.route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    }
    expect(predictions[bodies.length].noText).toBeUndefined();
    const { noText } = await classifier.predictPrepared([{ text: '😀', meta: ['lang=und', 'bank=x'] }, { text: 'kyc', meta: [] }]);
    expect(noText).toEqual([true, false]);
  });

  it('reads null fields as absent, as HTTP does, and refuses an email that is no object naming its index', async () => {
    const loose = [{ id: null, subject: null, body: null, html: '<p>kyc</p>', bank: null }, { subject: null, body: null }] as unknown as Email[];
    const [withHtml, empty] = await classifier.predict(loose);
    expect(withHtml).not.toHaveProperty('id');
    expect(withHtml.noText).toBeUndefined();
    expect(empty.noText).toBe(true);
    const refused: Array<[unknown[], RegExp]> = [
      [[null], /email 0 is null/],
      [[{ body: 'kyc' }, 'kyc'], /email 1 is a string/],
      [[{ body: 'kyc' }, { body: 'a' }, []], /email 2 is an array/],
      [[{ body: 3 }], /email 0: body is a number, not a string/],
      [[{ body: 'kyc', metadata: 'x' }], /email 0: metadata is a string, not an object/],
      [[{ body: 'kyc', attachmentNames: 'a.pdf' }], /email 0: attachmentNames is a string, not an array of strings/],
      [[{ body: 'kyc', attachmentNames: ['a.pdf', 3] }], /email 0: attachmentNames is an array, not an array of strings/],
      [[{ body: ['kyc'] }], /email 0: body is an array, not a string/],
    ];
    for (const [emails, message] of refused) {
      const error = await classifier.predict(emails as Email[]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PredictInputError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
