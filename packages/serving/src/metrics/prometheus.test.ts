import { describe, expect, it } from 'vitest';
import { Counter, Histogram, MetricsRegistry } from './prometheus.js';

describe('Prometheus text format', () => {
  it('writes labels in name order and escapes backslashes, newlines and quotes', () => {
    const registry = new MetricsRegistry();
    const c = registry.register(new Counter('x_total', 'Test.'));
    c.inc({ task: 'queue', label: 'a"b\\c\nd' });
    c.inc({ label: 'a"b\\c\nd', task: 'queue' }, 2);
    c.inc({ task: 'plain' });
    expect(c.get({ task: 'queue', label: 'a"b\\c\nd' })).toBe(3);
    const text = registry.render();
    expect(text).toContain('x_total{label="a\\"b\\\\c\\nd",task="queue"} 3');
    expect(text).toContain('x_total{task="plain"} 1');
  });
  it('counts a histogram cumulatively: each bucket holds the values at or under its bound, +Inf all of them, with their sum', () => {
    const registry = new MetricsRegistry();
    const h = registry.register(new Histogram('latency_seconds', 'Test.', [0.005, 0.01, 0.1]));
    for (const value of [0.001, 0.005, 0.007, 0.05, 2]) h.observe({ route: '/v1/classify' }, value);
    const lines = registry.render().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'latency_seconds_bucket{route="/v1/classify",le="0.005"} 2',
        'latency_seconds_bucket{route="/v1/classify",le="0.01"} 3',
        'latency_seconds_bucket{route="/v1/classify",le="0.1"} 4',
        'latency_seconds_bucket{route="/v1/classify",le="+Inf"} 5',
        'latency_seconds_count{route="/v1/classify"} 5',
      ]),
    );
    const sum = Number(lines.find((l) => l.startsWith('latency_seconds_sum'))?.split(' ')[1]);
    expect(sum).toBeCloseTo(2.063, 9);
  });
});
