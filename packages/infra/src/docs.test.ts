import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './lambda-env.js';
import { INFRA_ROOT } from './testing/stack-files.js';

// The README tells the CRM's team what API Gateway routes; it must name every route the stack creates.
describe('README', () => {
  it('names every API Gateway route and the paths left unrouted', () => {
    const readme = readFileSync(path.join(INFRA_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**What the CRM reaches in AWS.**'));
    expect(section.length).toBeLessThan(readme.length);
    for (const route of API_ROUTES) expect(section).toContain(`\`${route}\``);
    expect(API_ROUTES).toHaveLength(2); // a new route: say in the README what it opens
    for (const unrouted of ['/docs', '/healthz', '/readyz', '/metrics']) expect(section).toContain(`\`${unrouted}\``);
  });
});
