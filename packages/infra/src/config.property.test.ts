import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, StackConfigError, parseStackConfig, rawConfigFrom } from './config.js';
import { UnpricedError, estimateMonthlyCost } from './cost.js';
import { alarmSpecs } from './monitoring-plan.js';
import { SCHEDULE_DESCRIPTION_MAX, retrainingScheduleDescription } from './schedule.js';
import { MINIMAL_CONFIG as minimal } from './testing/minimal-config.js';

/**
 * Random stack configs, as a hand-edited Pulumi.<stack>.yaml could hold them: whatever a key holds (missing,
 * another type, out of range, NaN, odd strings), parseStackConfig gives a config the program can use or a
 * StackConfigError whose every line names a mailroute: key; never a TypeError, never a NaN or an infinite
 * number in what the resources are given.
 */

/** Every key the schema reads, as a path. */
const PATHS: readonly string[][] = [
  ...CONFIG_KEYS.map((key) => [key]),
  ...['cidr', 'azCount'].map((k) => ['network', k]),
  ...['imageTag', 'instanceType', 'initialInstanceCount', 'minInstances', 'maxInstances', 'invocationsPerInstance', 'bootstrapModelKey', 'lambdaMemoryMb', 'lambdaTimeoutSeconds', 'lambdaReservedConcurrency', 'monthlyRequests'].map((k) => ['serving', k]),
  ...['issuer', 'allowedClientIds', 'throttleRatePerSecond', 'throttleBurst', 'maxBodyBytes'].map((k) => ['api', k]),
  ...['instanceType', 'hoursPerMonth', 'maxRuntimeSeconds'].map((k) => ['training', k]),
  ...['enabled', 'dataPrefix', 'configPrefix', 'schedule', 'timezone', 'target', 'exportFeedback'].map((k) => ['retraining', k]),
  ['retraining', 'target', 'kind'],
  ['retraining', 'target', 'pipelineName'],
  ['retraining', 'target', 'functionArn'],
  ...['alarmEmail', 'logRetentionDays', 'p99LatencyMs', 'minLiveMacroF1', 'apiP99LatencyMs', 'feedbackStoppedDays'].map((k) => ['monitoring', k]),
  ['feedback', 'ttlDays'],
  ['feedback', 'storeText'],
  ...['noncurrentVersionDays', 'modelsNoncurrentVersionDays', 'abortMultipartDays', 'dataInfrequentAccessDays', 'accessLogDays'].map((k) => ['artifacts', k]),
  ['servng'],
  ['serving', 'minInstance'],
];

/** What a key may hold: any JSON, numbers at and past the edges, the strings a typo or a template leaves. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(undefined, null, Number.NaN, Infinity, -Infinity, -0, 0, 1, 2, 3, 365, 1e300, Number.MAX_VALUE, 2 ** 53, -1, 0.5, true),
  fc.constantFrom('', ' ', 'undefined', 'NaN', 'null', '__proto__', 'constructor', 'prod', 'dev', 'ml.t3.medium', 'ml.c6i.large', 'cron(0 3 1 * ? *)', 'rate(1 day)', 'UTC', 'data/x/', 'models/x/', 'sagemaker-pipeline', 'lambda', '10.0.0.0/16'),
  fc.constantFrom(`data/${'x'.repeat(450)}/`, `a${'-'.repeat(300)}b`, 'arn:aws:iam::111111111111:role/deploy/', `arn:aws:iam::111111111111:role/ci/${'d'.repeat(65)}`),
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer(),
);

function withValue(base: unknown, path: string[], value: unknown): unknown {
  const [key, ...rest] = path;
  const object = base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  return { ...object, [key]: rest.length === 0 ? value : withValue(object[key], rest, value) };
}

const anyConfig = fc
  .array(fc.tuple(fc.constantFrom(...PATHS), anyValue), { minLength: 1, maxLength: 3 })
  .map((edits) => edits.reduce<unknown>((config, [path, value]) => withValue(config, path, value), fc.sample(fc.constantFrom({ ...minimal }, { ...minimal, environment: 'prod', serving: { imageTag: '0.1.0', minInstances: 2 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } }), 1)[0]));

/** Resource names the alarm plan takes (any will do: the properties look at thresholds and alarm names). */
const NAMES = { endpointName: 'e', variantName: 'v', apiFunctionName: 'f', deployerFunctionName: 'd', apiId: 'a', stage: 's' };

/** Numbers in the parsed config that are NaN or infinite, by path. */
function badNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => badNumbers(v, `${path}.${k}`));
}

/** parseStackConfig's outcome: the config, or the error's lines; anything else thrown is a failure of the property. */
function outcome(raw: unknown): { ok: true; config: ReturnType<typeof parseStackConfig> } | { ok: false; lines: string[] } {
  try {
    return { ok: true, config: parseStackConfig(raw) };
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(StackConfigError);
    return { ok: false, lines: (error as Error).message.split('\n') };
  }
}

describe('parseStackConfig (properties)', () => {
  it('gives a usable config or names every bad key', () => {
    fc.assert(
      fc.property(anyConfig, (raw) => {
        const result = outcome(raw);
        if (!result.ok) {
          expect(result.lines[0]).toBe('invalid stack config:');
          for (const line of result.lines.slice(1)) {
            expect(line).toMatch(/^ {2}mailroute(:[A-Za-z][\w.]*)?: \S/);
            // A message names what it found; "undefined" there (but zod's "received undefined" for a missing key)
            // is a check reading a key that did not parse.
            if (!JSON.stringify(raw).includes('undefined')) expect(line.replace('received undefined', '')).not.toContain('undefined');
          }
          return;
        }
        const { config } = result;
        expect(badNumbers(config)).toEqual([]);
        // What AWS takes: a schedule description of at most 512 characters, a role name of 1 to 64, a pipeline name of at most 256.
        expect(config.deployRoleArn.split('/').at(-1)).toMatch(/^[\w+=,.@-]{1,64}$/);
        if (config.previewRoleArn !== undefined) expect(config.previewRoleArn.split('/').at(-1)).toMatch(/^[\w+=,.@-]{1,64}$/);
        expect(retrainingScheduleDescription(config, true).length).toBeLessThanOrEqual(SCHEDULE_DESCRIPTION_MAX);
        const target = config.retraining.target;
        if (target?.kind === 'sagemaker-pipeline') expect(target.pipelineName.length).toBeLessThanOrEqual(256);
        const { initialInstanceCount, minInstances, maxInstances } = config.serving;
        expect(minInstances <= initialInstanceCount && initialInstanceCount <= maxInstances).toBe(true);
        for (const spec of alarmSpecs(config, NAMES)) {
          expect(Number.isFinite(spec.threshold), spec.name).toBe(true);
          expect(spec.name).not.toMatch(/undefined|NaN/);
          // What PutMetricAlarm takes: at most 7 days of periods (1 day where a period is under an hour).
          expect(spec.period * spec.evaluationPeriods, spec.name).toBeLessThanOrEqual(spec.period < 3600 ? 86_400 : 604_800);
          expect(Number.isInteger(spec.evaluationPeriods) && spec.datapointsToAlarm <= spec.evaluationPeriods, spec.name).toBe(true);
        }
        // The stack exports the estimate: a finite sum, or an error naming the key of an unpriced region or type.
        try {
          expect(Number.isFinite(estimateMonthlyCost(config).totalUsd)).toBe(true);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(UnpricedError);
          expect((error as Error).message).toMatch(/^mailroute:(region|serving\.instanceType|training\.instanceType): /);
        }
      }),
      { seed: 1, numRuns: 1500 },
    );
  });

  it('gives alarms a finite threshold for any number the monitoring keys take', () => {
    const huge = fc.oneof(fc.constantFrom(Number.MAX_VALUE, 1e306, Number.MIN_VALUE, 60_000, 60_001), fc.double({ min: 0, noNaN: true }));
    fc.assert(
      fc.property(huge, fc.double({ min: 0, max: 1, noNaN: true }), (p99LatencyMs, minLiveMacroF1) => {
        const result = outcome({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', p99LatencyMs, minLiveMacroF1 } });
        if (!result.ok) expect(result.lines.slice(1)).toEqual([expect.stringMatching(/^ {2}mailroute:monitoring\.p99LatencyMs: /)]);
        else for (const spec of alarmSpecs(result.config, NAMES)) expect(Number.isFinite(spec.threshold), `${spec.name} ${spec.threshold}`).toBe(true);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('takes a VPC block only as written the one way the provider parses it', () => {
    // Mostly 0 and small numbers, so that many blocks are network addresses and reach the octets' own check.
    const number = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 2 });
    const octet = fc.tuple(number, fc.constantFrom('', '', '0', '00')).map(([n, zeros]) => `${zeros}${n}`);
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 14, max: 20 }), fc.constantFrom(2, 3), (octets, bits, azCount) => {
        const cidr = `${octets.join('.')}/${bits}`;
        const result = outcome({ ...minimal, network: { cidr, azCount } });
        if (result.ok) expect(cidr, cidr).toBe(`${octets.map(Number).join('.')}/${bits}`);
        else expect(result.lines.slice(1), cidr).toEqual([expect.stringMatching(/^ {2}mailroute:network\.cidr: /)]);
      }),
      { seed: 3, numRuns: 1000 },
    );
  });

  it("takes a retraining exports folder only if the schedule's description naming it fits Scheduler's 512 characters", () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,120}$/, { size: 'max' });
    fc.assert(
      // With kept text the description also names the feedback export, and the folder's limit is shorter.
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (segments, storeText) => {
        const dataPrefix = `data/${segments.join('/')}/`;
        const result = outcome({ ...minimal, retraining: { dataPrefix }, feedback: { storeText } });
        if (result.ok) expect(retrainingScheduleDescription(result.config, true).length).toBeLessThanOrEqual(SCHEDULE_DESCRIPTION_MAX);
        else expect(result.lines.slice(1)).toEqual([expect.stringMatching(/^ {2}mailroute:retraining\.dataPrefix: /)]);
        // A folder the shorter description takes is refused only for the feedback words.
        const plain = retrainingScheduleDescription({ retraining: { dataPrefix } }, true).length <= SCHEDULE_DESCRIPTION_MAX && dataPrefix.length <= 400;
        if (!result.ok && plain) expect(storeText).toBe(true);
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it('reads any Pulumi config strings into a config or a StackConfigError', () => {
    const yamlValue = fc.oneof(anyValue.map((v) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v))), fc.string({ maxLength: 12 }).map((s) => `{${s}`));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...CONFIG_KEYS, 'servng', '__proto__', 'constructor'), yamlValue), (values) => {
        const own = (key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined);
        const fallback = (key: string) => {
          const value = Object.prototype.hasOwnProperty.call(minimal, key) ? minimal[key as keyof typeof minimal] : undefined;
          return value === undefined || typeof value === 'string' ? value : JSON.stringify(value);
        };
        const get = (key: string) => own(key) ?? fallback(key);
        let result: ReturnType<typeof outcome> | undefined;
        try {
          result = outcome(rawConfigFrom(get, Object.keys(values)));
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(StackConfigError);
        }
        // A key the program does not read is refused, whatever its name.
        const unknown = Object.keys(values).filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key) && values[key] !== undefined);
        if (unknown.length > 0) expect(result?.ok, unknown.join(', ')).not.toBe(true);
      }),
      { seed: 2, numRuns: 500 },
    );
  });
});
