import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StackConfigError, parseStackConfig } from './config.js';
import { PRICE_LIST, estimateMonthlyCost, type PricedRegion } from './cost.js';
import { MINIMAL_CONFIG } from './testing/minimal-config.js';

/**
 * The stack exports the estimate (monthlyCostEstimateUsd): for every config the schema takes at priced sizes, each
 * line and the total are finite and not negative (Pulumi keeps outputs as JSON, which has no Infinity), and more
 * requests or instances never cost less.
 */
const region = fc.constantFrom(...(Object.keys(PRICE_LIST.regions) as PricedRegion[]));
const sizes: fc.Arbitrary<Sizes> = fc.record({
  hosting: fc.constantFrom('ml.c6i.large', 'ml.m5.xlarge', 'ml.g5.xlarge'),
  training: fc.constantFrom('ml.m5.large', 'ml.g5.xlarge'),
  minInstances: fc.integer({ min: 1, max: 1000 }),
  monthlyRequests: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  hoursPerMonth: fc.oneof(fc.double({ min: 0, max: 744, noNaN: true }), fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true })),
  lambdaMemoryMb: fc.integer({ min: 128, max: 10240 }),
});

interface Sizes {
  hosting: string;
  training: string;
  minInstances: number;
  monthlyRequests: number;
  hoursPerMonth: number;
  lambdaMemoryMb: number;
}

function configOf(r: PricedRegion, s: Sizes) {
  return parseStackConfig({
    ...MINIMAL_CONFIG,
    region: r,
    serving: { imageTag: '0.1.0', instanceType: s.hosting, minInstances: s.minInstances, maxInstances: s.minInstances, monthlyRequests: s.monthlyRequests, lambdaMemoryMb: s.lambdaMemoryMb },
    training: { instanceType: s.training, hoursPerMonth: s.hoursPerMonth },
  });
}

describe('estimateMonthlyCost (properties)', () => {
  it('prices every config the schema takes with finite, non-negative amounts that grow with use', () => {
    fc.assert(
      fc.property(region, sizes, (r, s) => {
        let config;
        try {
          config = configOf(r, s);
        } catch (error) {
          expect(error).toBeInstanceOf(StackConfigError);
          return;
        }
        const estimate = estimateMonthlyCost(config);
        for (const line of estimate.lines) expect(Number.isFinite(line.monthlyUsd) && line.monthlyUsd >= 0, line.item).toBe(true);
        expect(Number.isFinite(estimate.totalUsd) && estimate.totalUsd >= 0).toBe(true);
        const more = estimateMonthlyCost({ ...config, serving: { ...config.serving, monthlyRequests: config.serving.monthlyRequests + 1000, minInstances: config.serving.minInstances + 1 } });
        expect(more.totalUsd).toBeGreaterThanOrEqual(estimate.totalUsd);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});
