import { describe, expect, it } from 'vitest';
import { Counter, MetricsRegistry } from './prometheus.js';

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
});
