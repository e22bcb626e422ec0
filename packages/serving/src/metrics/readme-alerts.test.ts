import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createServingMetrics } from './serving-metrics.js';

/** The README's alert rules: the YAML block under "Alert rules". */
function alertRules(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf('**Alert rules.**');
  expect(at).toBeGreaterThan(0);
  return /```yaml\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
}

describe("the README's alert rules", () => {
  it('name only series /metrics gives, with labels and values it gives them', () => {
    const metrics = createServingMetrics();
    // What a server exports once it serves a model and has answered classify requests, one with a 500.
    metrics.setModel('m1', ['queue']);
    metrics.requests.inc({ route: '/v1/classify', method: 'POST', status: '200' });
    metrics.requests.inc({ route: '/v1/classify', method: 'POST', status: '500' });
    metrics.observeLatency('/v1/classify', 200, 0.01);
    const samples = metrics.registry.render().split('\n').filter((l) => l.startsWith('mailroute_'));
    const rules = alertRules();
    const selectors = [...rules.matchAll(/\b(mailroute_[a-z_]+)(?:\{([^}]*)\})?/g)];
    expect(selectors.length).toBeGreaterThan(8);
    for (const [, name, matchers] of selectors) {
      const series = samples.filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
      expect(series.length, name).toBeGreaterThan(0);
      for (const [, label, op, value] of (matchers ?? '').matchAll(/(\w+)(=~|!=|=)"([^"]*)"/g)) {
        const values = new Set(series.flatMap((l) => [...l.matchAll(new RegExp(`[{,]${label}="([^"]*)"`, 'g'))].map((m) => m[1])));
        expect(values.size, `${name}: label ${label}`).toBeGreaterThan(0);
        // An equality names a value the series has; a regex's alternatives each match one (a typo matches nothing, silently).
        if (op === '=' || op === '!=') expect([...values], `${name}{${label}${op}"${value}"}`).toContain(value);
        else for (const alternative of value.split('|')) expect([...values].some((v) => new RegExp(`^(?:${alternative})$`).test(v)), `${name}{${label}=~"${alternative}"}`).toBe(true);
      }
    }
  });
});
