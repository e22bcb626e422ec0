import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Classifier } from './classifier.js';
import { writeFixture } from './classifier-fixture.js';
import { inputFingerprint, inputFingerprintNote, inputFingerprintOf } from './input-fingerprint.js';
import { prepareModelInput } from './model-input.js';

describe('inputFingerprint', () => {
  it('is a short hash of what prepareModelInput makes of the probe emails, which any change of it moves', () => {
    expect(inputFingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(inputFingerprintOf()).toBe(inputFingerprint());
    // One detector fewer (IBANs left as they are) is another fingerprint.
    const ibanKept = (email: Parameters<typeof prepareModelInput>[0]) => {
      const input = prepareModelInput(email);
      return { ...input, text: input.text.replace('[IBAN]', 'DE89 3704 0044 0532 0130 00') };
    };
    expect(inputFingerprintOf(ibanKept)).not.toBe(inputFingerprint());
  });

  it('says when a model was trained under other input, or does not record it, and nothing when alike', () => {
    expect(inputFingerprintNote({ modelId: 'm-now', inputFingerprint: inputFingerprint() })).toBeUndefined();
    expect(inputFingerprintNote({ modelId: 'm-old' })).toMatch(/^model m-old does not record how its training cleaned emails .* compare \(`mailroute compare`\) before relying on them$/);
    expect(inputFingerprintNote({ modelId: 'm-other', inputFingerprint: '0123456789abcdef' })).toBe(
      `model m-other was trained by a mailroute that cleaned and masked emails otherwise (input fingerprint 0123456789abcdef, now ${inputFingerprint()}): its measured figures may not hold for the input it gets now: train it again on the same data and compare (\`mailroute compare\`) before relying on them`,
    );
  });

  it('Classifier.load warns of a model trained under other input, through its logger', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-fingerprint-'));
    try {
      const dir = path.join(root, 'model');
      await writeFixture(dir, 0);
      const warned: string[] = [];
      const logger = { warn: (message: string) => void warned.push(message) };
      await (await Classifier.load(dir, { logger })).release();
      expect(warned).toEqual([]);
      // manifest.json is not among the hashed files: an older model's manifest is edited as it would read.
      const manifestFile = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
      await writeFile(manifestFile, JSON.stringify({ ...manifest, inputFingerprint: 'ffffffffffffffff' }));
      await (await Classifier.load(dir, { logger })).release();
      expect(warned).toEqual([expect.stringContaining('model ngram-bag-test was trained by a mailroute that cleaned and masked emails otherwise (input fingerprint ffffffffffffffff')]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
