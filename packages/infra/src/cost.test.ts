import { describe, it, expect } from 'vitest';
import { dynamoWriteUnitsPerRequest, estimateMonthlyCost, HOURS_PER_MONTH, PRICE_LIST } from './cost.js';
import { loadStackConfigFile } from './testing/stack-files.js';
import { parseStackConfig } from './config.js';
import { MINIMAL_CONFIG } from './testing/minimal-config.js';

describe('estimateMonthlyCost', () => {
  it('prices the endpoint at its minimum size for a month', () => {
    const prod = loadStackConfigFile('prod');
    const estimate = estimateMonthlyCost(prod);
    const endpoint = estimate.lines.find((l) => l.item.startsWith('SageMaker endpoint'))!;
    expect(endpoint.monthlyUsd).toBeCloseTo(2 * HOURS_PER_MONTH * PRICE_LIST.regions['eu-central-1'].sagemakerHostingPerHour['ml.c6i.large'], 6);
    expect(estimate.source).toMatch(/AWS list prices, us-east-1\/eu-central-1, as of/);
  });

  it('sums its lines, and prod costs more than dev', () => {
    const dev = estimateMonthlyCost(loadStackConfigFile('dev'));
    const prod = estimateMonthlyCost(loadStackConfigFile('prod'));
    expect(dev.totalUsd).toBeCloseTo(dev.lines.reduce((s, l) => s + l.monthlyUsd, 0), 1);
    expect(prod.totalUsd).toBeGreaterThan(dev.totalUsd);
    // Interface endpoints are the floor of a NAT-less VPC: 7 endpoints x AZs x hours.
    const endpoints = dev.lines.find((l) => l.item.startsWith('Interface VPC endpoints'))!;
    expect(endpoints.quantity).toBe(7 * 2 * HOURS_PER_MONTH);
  });

  it('prices the DynamoDB writes as the store makes them: transactions, whole items in three indexes, the judged mark', () => {
    // Without kept text (a prediction of 1 write unit): the prediction's transactional put (2) and its by-email and
    // by-day copies (1 each); its feedback's transactional put (2) and the mark of the prediction, a transactional
    // update (2) rewriting the by-email and by-day copies (1 each) and adding the judged-by-day one (1).
    expect(dynamoWriteUnitsPerRequest(false)).toBe(2 + 1 + 1 + (2 + (2 + 1 + 1 + 1)));
    expect(dynamoWriteUnitsPerRequest(false)).toBe(11);
    // With kept text every prediction write is of a 3-unit item; the feedback item stays under 1 KB.
    expect(dynamoWriteUnitsPerRequest(true)).toBe(3 * 4 + 2 + 3 * 5);
    const prod = loadStackConfigFile('prod');
    const writes = estimateMonthlyCost(prod).lines.find((l) => l.item.startsWith('DynamoDB writes'))!;
    expect(writes.quantity).toBeCloseTo((prod.serving.monthlyRequests * 11) / 1e6, 9);
    expect(writes.monthlyUsd).toBeCloseTo(16.5 * PRICE_LIST.regions['eu-central-1'].dynamoPerMillionWrites, 9);
  });

  it('prices the writes and storage of kept email text (feedback.storeText)', () => {
    const prod = loadStackConfigFile('prod');
    const line = (estimate: ReturnType<typeof estimateMonthlyCost>, item: string) => estimate.lines.find((l) => l.item.startsWith(item))!;
    const without = estimateMonthlyCost(prod);
    const kept = estimateMonthlyCost({ ...prod, feedback: { ...prod.feedback, storeText: true } });
    expect(line(kept, 'DynamoDB writes').item).toBe('DynamoDB writes (with kept text)');
    expect(line(kept, 'DynamoDB writes').quantity).toBeCloseTo((line(without, 'DynamoDB writes').quantity * 29) / 11, 6);
    expect(line(kept, 'DynamoDB storage').quantity).toBeCloseTo(line(without, 'DynamoDB storage').quantity * 5, 6);
    expect(kept.totalUsd).toBeGreaterThan(without.totalUsd);
  });

  it('prices the access logs the log bucket holds: accessLogDays of them, at S3 Standard, a few cents', () => {
    const prod = loadStackConfigFile('prod');
    const logs = (accessLogDays: number) => estimateMonthlyCost({ ...prod, artifacts: { ...prod.artifacts, accessLogDays } }).lines.find((l) => l.item.startsWith('S3 access logs'))!;
    expect(logs(400).item).toBe('S3 access logs (kept 400 days)');
    expect(logs(400).unitPriceUsd).toBe(PRICE_LIST.regions['eu-central-1'].s3StandardPerGbMonth);
    // 0.1 GB a month, kept 400 days: about 13 months of logs in the bucket.
    expect(logs(400).quantity).toBeCloseTo((0.1 * 400 * 12) / 365, 6);
    expect(logs(800).monthlyUsd).toBeCloseTo(logs(400).monthlyUsd * 2, 9);
    expect(logs(3653).monthlyUsd).toBeLessThan(1);
  });

  it('is cheaper in us-east-1 than in eu-central-1 for the same sizes', () => {
    const prod = loadStackConfigFile('prod');
    expect(estimateMonthlyCost({ ...prod, region: 'us-east-1' }).totalUsd).toBeLessThan(estimateMonthlyCost(prod).totalUsd);
  });

  it('refuses to guess unpriced regions and instance types', () => {
    const prod = loadStackConfigFile('prod');
    expect(() => estimateMonthlyCost({ ...prod, region: 'ap-south-1' })).toThrow(expect.objectContaining({ code: 'COST_UNPRICED' }));
    expect(() => estimateMonthlyCost({ ...prod, serving: { ...prod.serving, instanceType: 'ml.p5.48xlarge' } })).toThrow(/ml.p5.48xlarge/);
  });

  it('names the config key that has no price (the program exports the estimate, so this stops a preview)', () => {
    const prod = loadStackConfigFile('prod');
    expect(() => estimateMonthlyCost({ ...prod, region: 'ap-south-1' })).toThrow(/^mailroute:region: no list prices for ap-south-1 .*\(priced: us-east-1, eu-central-1\)/);
    expect(() => estimateMonthlyCost({ ...prod, serving: { ...prod.serving, instanceType: 'ml.m6i.large' } })).toThrow(/^mailroute:serving.instanceType: no eu-central-1 hosting price for ml.m6i.large .*PRICE_LIST/);
    expect(() => estimateMonthlyCost({ ...prod, training: { ...prod.training, instanceType: 'ml.c6i.large' } })).toThrow(/^mailroute:training.instanceType: no eu-central-1 training price for ml.c6i.large/);
  });

  it('stays finite for every training time the config takes (the stack exports it, and JSON has no Infinity)', () => {
    const training = (hoursPerMonth: number) => parseStackConfig({ ...MINIMAL_CONFIG, training: { instanceType: 'ml.g5.xlarge', hoursPerMonth } });
    expect(() => training(1e308)).toThrow('mailroute:training.hoursPerMonth: at most 744, the hours of a 31-day month');
    expect(estimateMonthlyCost(training(744)).totalUsd).toBeLessThan(2000);
  });
});
