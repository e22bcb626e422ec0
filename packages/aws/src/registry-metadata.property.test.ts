// Properties of the registry's SageMaker customer metadata: whatever a version holds is written within what
// SageMaker takes (sagemaker-limits.ts, as its API reference gives them) and read back as it was, or refused up
// front with the registry's coded error; never cut or changed without a word where the README promises it whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '@mailroute/model';
import { decodeMeta, encodeMeta, fromModelPackage, MAX_METRICS, statusChangeMetadata, toCustomerMetadata } from './registry-metadata.js';
import { checkCreateModelPackage, checkUpdateModelPackage } from './test-support/sagemaker-limits.js';
import { createModelPackageInput } from './model-package-input.js';

const SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);
const RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 300);

/** Text a person or a trainer may write: ASCII, any code point, names of Object's own, long runs. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'Geschäftsbereich', 'Rückfrage, dringend', 'a=41', '=2C', 'O\'Brien (Leitung)'),
  fc.string({ unit: fc.constantFrom('a', 'ä', ',', '=', '€', '😀', ' '), minLength: 200, maxLength: 400 }),
);
const modelId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/);
const metrics = fc.dictionary(text, fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 45 });
const version = fc.record({
  id: modelId,
  family: text,
  tasks: fc.array(text, { minLength: 1, maxLength: 12 }),
  dataHash: text,
  metrics,
  note: fc.option(text, { nil: undefined }),
  runId: fc.option(text, { nil: undefined }),
  measuredOn: fc.option(text, { nil: undefined }),
  manifestSha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
});
type Version = typeof version extends fc.Arbitrary<infer T> ? T : never;

/** The metadata of a registration, or the RegistryError that refused it. */
function written(v: Version): Record<string, string> | RegistryError {
  try {
    return toCustomerMetadata(v);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
}

describe('registry metadata: properties', () => {
  it('writes what SageMaker takes, registration and decision together (or refuses with a coded error)', () => {
    fc.assert(
      fc.property(version, fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), (v, by, note) => {
        const props = written(v);
        if (props instanceof RegistryError) {
          expect(props.code).toBe('REGISTRY_ARTIFACT_INVALID');
          return;
        }
        const input = createModelPackageInput({ groupName: 'mailroute-dev', inferenceImage: 'img:1', artifactUri: `s3://artifacts/models/${v.id}/`, version: v });
        checkCreateModelPackage(input);
        const decision = statusChangeMetadata(by, '2026-11-29T10:15:00.000Z', note);
        const merged = { ...props, ...decision.props };
        for (const key of decision.remove) delete merged[key];
        checkUpdateModelPackage({ ApprovalDescription: note?.slice(0, 1000), CustomerMetadataProperties: decision.props }, merged);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('reads back the id, tasks and every fact that fits as written; a metric it keeps with its value', () => {
    fc.assert(
      fc.property(version, (v) => {
        const props = written(v);
        if (props instanceof RegistryError) return;
        const back = fromModelPackage({ ModelApprovalStatus: 'PendingManualApproval', CustomerMetadataProperties: props });
        expect(back.id).toBe(v.id);
        expect(back.tasks).toEqual(v.tasks);
        for (const field of ['note', 'runId', 'measuredOn'] as const) {
          const value = v[field];
          if (value && encodeMeta(value).length === encodeMeta(value, Infinity).length) expect(back[field]).toBe(value);
        }
        expect(Object.keys(back.metrics).length).toBeLessThanOrEqual(MAX_METRICS);
        for (const [name, value] of Object.entries(back.metrics)) expect(value === v.metrics[name]).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('decodes what it encoded: the whole text, or a prefix cut between whole characters', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 12, max: 300 }), (s, max) => {
        const encoded = encodeMeta(s, max);
        expect(encoded.length).toBeLessThanOrEqual(max);
        const decoded = decodeMeta(encoded);
        expect(s.startsWith(decoded)).toBe(true);
        if (encodeMeta(s, Infinity).length <= max) expect(decoded).toBe(s);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
