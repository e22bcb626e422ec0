import { describe, expect, it } from 'vitest';
import { authed, json, testAppBuilder } from '../test-support/harness.js';
import { classify } from '../test-support/route-helpers.js';

const build = testAppBuilder();

/** The queue drift of a window of `billing`, `technical` and `general` predictions (the fake's invoice, password, hello). */
async function queueDrift(training: Record<string, number>, billing: number, technical: number, general: number) {
  const { app } = await build({ trainingDistribution: async () => ({ queue: training }) });
  const bodies = [...Array<string>(billing).fill('invoice'), ...Array<string>(technical).fill('password'), ...Array<string>(general).fill('hello')];
  await classify(app, bodies.map((body) => ({ body })));
  return (await json(app.request('/v1/quality', authed()))).tasks.queue.drift;
}

/** PSI of counts against training shares as the README says it is computed: each label half a count more on both sides. */
function expectedPsi(counts: Record<string, number>, training: Record<string, number>): number {
  const labels = ['billing', 'technical', 'general'];
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  const p = labels.map((l) => ((counts[l] ?? 0) + 0.5) / (n + 1.5));
  const q = labels.map((l) => ((training[l] ?? 0) * n + 0.5) / (n + 1.5));
  return p.reduce((sum, pi, i) => sum + (pi - q[i]) * Math.log(pi / q[i]), 0);
}

describe('GET /v1/quality drift against the training distribution', () => {
  it('is 0 for a window whose shares are the training ones, a label never seen in training (share 0 or absent) and missing from the window included', async () => {
    const trainings: Record<string, number>[] = [{ billing: 0.5, technical: 0.5, general: 0 }, { billing: 0.5, technical: 0.5 }];
    for (const training of trainings) {
      const drift = await queueDrift(training, 20, 20, 0);
      expect(drift.reference, JSON.stringify(training)).toBe('training');
      expect(drift.psi).toBeCloseTo(0, 12);
      expect(drift.jsDivergence).toBeCloseTo(0, 12);
    }
  });

  it('measures a label never seen in training that takes a tenth of the window as a finite shift, not one its zero share dominates', async () => {
    const training = { billing: 0.5, technical: 0.5, general: 0 };
    const drift = await queueDrift(training, 18, 18, 4);
    expect(drift.psi).toBeCloseTo(expectedPsi({ billing: 18, technical: 18, general: 4 }, training), 9);
    expect(drift.psi).toBeGreaterThan(0.1);
    expect(drift.psi).toBeLessThan(0.3);
    expect(Number.isFinite(drift.jsDivergence)).toBe(true);
  });

  it('measures a training label missing from the window as a finite large shift', async () => {
    const training = { billing: 0.4, technical: 0.4, general: 0.2 };
    const drift = await queueDrift(training, 20, 20, 0);
    expect(drift.predicted).toEqual({ billing: 0.5, technical: 0.5 });
    expect(drift.psi).toBeCloseTo(expectedPsi({ billing: 20, technical: 20 }, training), 9);
    expect(drift.psi).toBeGreaterThan(0.25);
  });

  it('takes no training reference from shares that are no numbers, or all 0: no NaN figure, no NaN share', async () => {
    for (const training of [{ billing: Number.NaN, technical: 0.5, general: 0.5 }, { billing: 0, technical: 0, general: 0 }]) {
      const drift = await queueDrift(training, 16, 16, 8);
      expect(drift, String(Object.values(training))).toMatchObject({ reference: 'none', psi: null, jsDivergence: null, expected: null });
    }
  });
});
