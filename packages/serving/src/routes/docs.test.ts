import { describe, expect, it } from 'vitest';
import { json, testAppBuilder } from '../test-support/harness.js';

const build = testAppBuilder();

/** The two elements the page's script touches, as the served HTML has them: their attributes and text. */
interface PageElement {
  attributes: Record<string, string>;
  innerHTML: string;
  textContent: string;
  removeAttribute(name: string): void;
}

/** The element with `id` in `html` (attributes and plain text), enough for the page's script to work on. */
function elementOf(html: string, id: string): PageElement {
  const match = new RegExp(`<(\\w+)([^>]*\\sid="${id}"[^>]*)>([^<]*)</\\1>`).exec(html);
  if (!match) throw new Error(`no element with id="${id}" in the docs page`);
  const attributes = Object.fromEntries([...match[2].matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return {
    attributes,
    innerHTML: match[3],
    textContent: match[3],
    removeAttribute(name) {
      delete this.attributes[name];
    },
  };
}

/**
 * Runs the page's own script against `answer` (what openapi.json gives, or a failed fetch) with stand-ins for
 * fetch and the page's elements, until it has said the list is no longer busy.
 */
async function runPage(html: string, answer: () => Promise<unknown>): Promise<{ ops: PageElement; status: PageElement }> {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
  const elements = { ops: elementOf(html, 'ops'), status: elementOf(html, 'status') };
  new Function('fetch', 'document', script)(async () => ({ json: answer }), { getElementById: (id: 'ops' | 'status') => elements[id] });
  for (let i = 0; i < 50 && 'aria-busy' in elements.ops.attributes; i++) await new Promise((r) => setTimeout(r, 1));
  return elements;
}

/** The served page and document, and the page rendered from that document. */
async function renderedDocs() {
  const { app } = await build();
  const html = await (await app.request('/docs')).text();
  const doc = await json(app.request('/openapi.json'));
  const operations = Object.entries(doc.paths as Record<string, Record<string, { requestBody?: unknown }>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, method, path, hasBody: op.requestBody !== undefined })),
  );
  return { html, doc, operations, ...(await runPage(html, async () => doc)) };
}

/** The text a screen reader reads for a bit of HTML: its tags dropped. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, '');

describe('the docs page', () => {
  it('puts each operation in a section headed (h2) by its method and path, so a screen reader can jump between them', async () => {
    const { ops, operations } = await renderedDocs();
    expect(operations.length).toBeGreaterThanOrEqual(13);
    const sections = [...ops.innerHTML.matchAll(/<section class="op">([\s\S]*?)<\/section>/g)].map((m) => m[1]);
    expect(sections).toHaveLength(operations.length);
    operations.forEach((o, i) => {
      // The method styled as before (coloured by its class), the path in <code>, both inside the heading.
      expect(sections[i].startsWith(`<h2><span class="m ${o.method}">${o.method.toUpperCase()}</span> <code>${o.path}</code></h2>`), o.name).toBe(true);
      expect(textOf(/<h2>.*?<\/h2>/.exec(sections[i])?.[0] ?? '')).toBe(o.name);
    });
    expect(ops.innerHTML).toContain('<h2>Schemas</h2>');
  });

  it('names the operation in every disclosure ("responses of POST /v1/classify"), the words after the first visually hidden', async () => {
    const { html, ops, operations } = await renderedDocs();
    const summaries = [...ops.innerHTML.matchAll(/<summary>([\s\S]*?)<\/summary>/g)].map((m) => m[1]);
    expect(summaries.map(textOf)).toEqual(operations.flatMap((o) => [...(o.hasBody ? [`request body of ${o.name}`] : []), `responses of ${o.name}`]));
    expect(summaries.map(textOf)).toEqual(expect.arrayContaining(['responses of POST /v1/classify', 'request body of POST /v1/feedback']));
    // On screen, the same short word as before.
    for (const s of summaries) expect(s).toMatch(/^(request body|responses)<span class="vh"> of [^<]+<\/span>$/);
    expect(html).toMatch(/\.vh\{position:absolute;width:1px;height:1px;[^}]*overflow:hidden;[^}]*clip-path:inset\(50%\)/);
  });

  it('holds its content in <main>, says in a polite live region when loading is over, and marks the list busy until then', async () => {
    const { html, ops, status, operations } = await renderedDocs();
    const main = /<main>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
    expect(main).toMatch(/^<h1>mailroute API<\/h1>/);
    expect(main).toContain('id="ops"');
    expect(main).toContain('id="status"');
    // As served: loading, and the list (still empty) busy.
    expect(elementOf(html, 'status')).toMatchObject({ textContent: 'Loading…', attributes: { role: 'status', 'aria-live': 'polite' } });
    expect(elementOf(html, 'ops').attributes['aria-busy']).toBe('true');
    // Loaded: the live region says so (the list itself is not live: a reader would hear all of it), the list no longer busy.
    expect(status.textContent).toBe(`Loaded ${operations.length} operations.`);
    expect(ops.attributes).not.toHaveProperty('aria-live');
    expect(ops.attributes).not.toHaveProperty('aria-busy');
    // A document that does not come is said there too, and the list is not left busy.
    const failed = await runPage(html, async () => {
      throw new Error('offline');
    });
    expect(failed.status.textContent).toBe('Could not load /openapi.json: Error: offline');
    expect(failed.ops.innerHTML).toBe('');
    expect(failed.ops.attributes).not.toHaveProperty('aria-busy');
  });

  it('wraps the long lines of its <pre> blocks, so that at 320 px wide nothing scrolls sideways (WCAG 1.4.10)', async () => {
    const { html, ops } = await renderedDocs();
    const pre = /(?:^|[\s}])pre\{([^}]*)\}/.exec(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '')?.[1] ?? '';
    expect(pre).toContain('white-space:pre-wrap');
    expect(pre).toContain('overflow-wrap:anywhere');
    expect(ops.innerHTML.match(/<pre>/g)?.length).toBeGreaterThan(13);
    // Styles come only from the <style> block: its Content-Security-Policy (by hash) would drop a style attribute.
    expect(html + ops.innerHTML).not.toMatch(/\sstyle=/);
  });

  it("lists each operation's query parameters, with their defaults and descriptions", async () => {
    const { ops, status } = await renderedDocs();
    expect(status.textContent).toMatch(/^Loaded \d+ operations\.$/);
    expect(ops.innerHTML).toContain('<code>hours</code> (query, default 168): Window length in hours');
    expect(ops.innerHTML).toContain('by when they were made, not by closedAt');
    expect(ops.innerHTML).toContain('<code>model</code> (query): a model id, or all');
    expect(ops.innerHTML).toContain('<code>force</code> (query, one of true, false)');
    expect(ops.innerHTML).toContain('<code>id</code> (query)');
  });
  it('says the scope each operation needs, and gives every schema a heading of its own, listed and linked from where it is named', async () => {
    const { ops, doc } = await renderedDocs();
    const section = (name: string) => [...ops.innerHTML.matchAll(/<section class="op">([\s\S]*?)<\/section>/g)].map((m) => m[1]).find((s) => textOf(/<h2>.*?<\/h2>/.exec(s)?.[0] ?? '') === name) ?? '';
    expect(section('POST /v1/classify')).toContain('<p>Needs an API key with the scope <code>classify</code>.</p>');
    expect(section('POST /v1/feedback')).toContain('<p>Needs an API key with the scope <code>feedback</code>.</p>');
    expect(section('GET /healthz')).not.toContain('Needs an API key');
    const names = Object.keys((doc.components as { schemas: Record<string, unknown> }).schemas);
    expect(names.length).toBeGreaterThan(3);
    const schemas = ops.innerHTML.slice(ops.innerHTML.indexOf('<h2>Schemas</h2>'));
    expect([...schemas.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual(names);
    for (const n of names) expect(schemas).toContain(`<li><a href="#schema-${n}">${n}</a></li>`);
    // A $ref in an operation's request body links to the schema's section.
    const ref = /<a href="#(schema-[^"]+)">#\/components\/schemas\/[^<]+<\/a>/.exec(section('POST /v1/classify'));
    expect(ref).not.toBeNull();
    expect(schemas).toContain(`<section id="${ref?.[1]}">`);
  });
});
