import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { AppContext, ServingHono } from '../http/context.js';
import { buildApiDocument, type ApiDocumentOptions } from './api-document.js';
import { publicErrorResponses } from './responses.js';

/**
 * A self-contained docs page (no CDN): it fetches openapi.json beside it (a relative path, so it works
 * under a named API Gateway stage's prefix too) and lists each operation with its query parameters and
 * its request and response schemas. The document itself is generated from the zod schemas.
 *
 * For screen readers and small screens: each operation is a section under an h2 (method and path) to jump to,
 * each disclosure names its operation (the words past "responses" visually hidden), all in <main>; the end of
 * loading is said in a polite live region (not the list itself, which a reader would then hear whole) while the
 * list is aria-busy; <pre> blocks wrap so that at 320 px the page does not scroll sideways (WCAG 1.4.10).
 * No style attributes: the Content-Security-Policy allows only the <style> block by its hash.
 */
const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mailroute API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
h1{margin-bottom:.2rem} .op{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
.op h2{font-size:1em;font-weight:400;margin:0}
.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}.get{color:#0969da}.post{color:#1a7f37}
code{font-family:ui-monospace,monospace} pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
details summary{cursor:pointer;color:#57606a}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
</style></head>
<body><main><h1>mailroute API</h1><p>Generated from <a href="openapi.json">openapi.json</a>.</p>
<p id="status" role="status" aria-live="polite">Loading…</p><div id="ops" aria-busy="true"></div></main>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
const anchor = (name) => 'schema-' + String(name).replace(/[^A-Za-z0-9_-]/g, '_');
// A schema named in escaped JSON ("$ref": "#/components/schemas/Email") links to its section below.
const linked = (html) => html.replace(/#\\/components\\/schemas\\/([A-Za-z0-9_.-]+)/g, (ref, name) => '<a href="#' + anchor(name) + '">' + ref + '</a>');
const scopesOf = (op) => [...new Set((op.security || []).flatMap((s) => Object.values(s).flat()))];
const list = document.getElementById('ops');
const statusLine = document.getElementById('status');
fetch('openapi.json').then((r) => r.json()).then((doc) => {
  const out = [];
  for (const [path, pathOps] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(pathOps)) {
      const name = esc(method.toUpperCase()) + ' ' + esc(path);
      const body = op.requestBody ? JSON.stringify(op.requestBody.content, null, 2) : '';
      const res = Object.entries(op.responses || {}).map(([s, r]) => s + ': ' + (r.description || '')).join('\\n');
      const params = (op.parameters || []).map((p) => '<li><code>' + esc(p.name) + '</code> (' + esc(p.in) + (p.required ? ', required' : '')
        + (p.schema && p.schema.default !== undefined ? ', default ' + esc(typeof p.schema.default === 'string' ? p.schema.default : JSON.stringify(p.schema.default)) : '')
        + (p.schema && p.schema.enum ? ', one of ' + esc(p.schema.enum.join(', ')) : '') + ')'
        + (p.description ? ': ' + esc(p.description) : '') + '</li>').join('');
      const scopes = scopesOf(op);
      const key = (op.security || []).length === 0 ? '' : '<p>Needs an API key' + (scopes.length > 0 ? ' with the scope ' + scopes.map((x) => '<code>' + esc(x) + '</code>').join(' or ') : '') + '.</p>';
      out.push('<section class="op"><h2><span class="m ' + esc(method) + '">' + esc(method.toUpperCase()) + '</span> <code>' + esc(path) + '</code></h2>'
        + '<p>' + esc(op.summary || '') + '</p>' + key
        + (params ? '<p>Parameters:</p><ul>' + params + '</ul>' : '')
        + (body ? '<details><summary>request body<span class="vh"> of ' + name + '</span></summary><pre>' + linked(esc(body)) + '</pre></details>' : '')
        + '<details><summary>responses<span class="vh"> of ' + name + '</span></summary><pre>' + esc(res) + '</pre></details></section>');
    }
  }
  const count = out.length;
  // One heading per schema (a screen reader jumps between them), listed first, each linked from where it is named.
  const schemas = Object.entries((doc.components || {}).schemas || {});
  out.push('<section><h2>Schemas</h2><ul>' + schemas.map(([n]) => '<li><a href="#' + anchor(n) + '">' + esc(n) + '</a></li>').join('') + '</ul>'
    + schemas.map(([n, schema]) => '<section id="' + anchor(n) + '"><h3>' + esc(n) + '</h3><pre>' + linked(esc(JSON.stringify(schema, null, 2))) + '</pre></section>').join('') + '</section>');
  list.innerHTML = out.join('');
  statusLine.textContent = 'Loaded ' + count + ' operations.';
}).catch((e) => { statusLine.textContent = 'Could not load /openapi.json: ' + e; }).finally(() => { list.removeAttribute('aria-busy'); });
</script></body></html>`;

/** What the scopes in an operation's security requirement mean, said by each key scheme. */
const SCOPES_SAID =
  "An operation's security requirement names the scope its key needs (classify, feedback, admin); one that names none takes a key of any scope, a metrics key too (scope metrics: /metrics and /v1/model only, for a Prometheus scraper that must not classify). A server run without API keys needs none (it answers clients on its own machine only)";

/**
 * /openapi.json, made at each request as of the app's clock (its date-time examples are recent), shaped by `options`
 * where a front door stands in front of the app (`AppOptions.apiDocument`), and /docs.
 */
export function registerDocsRoutes(app: ServingHono, ctx: AppContext, options?: ApiDocumentOptions): void {
  app.get('/openapi.json', (c) => c.json(buildApiDocument(app, ctx.clock.now(), options)));
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: `An API key: \`Authorization: Bearer <key>\`. ${SCOPES_SAID}`,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: `The same API key, for clients that cannot set an Authorization header. ${SCOPES_SAID}`,
  });
  app.get('/docs', (c) => c.html(DOCS_HTML, 200, { 'content-security-policy': DOCS_POLICY }));
  // Both are plain routes (the document is generated, the page is fixed): listed here so the document is whole.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    tags: ['operations'],
    summary: 'This OpenAPI 3.1 document, generated from the zod schemas that validate requests',
    responses: { 200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...publicErrorResponses },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/docs',
    operationId: 'getDocs',
    tags: ['operations'],
    summary: 'A self-contained page listing the operations of /openapi.json',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } }, ...publicErrorResponses },
  });
}

/**
 * What /docs may do: its own inline script and style (by their sha256, so no other script runs, injected or not),
 * fetch openapi.json from its own origin, and nothing else: no other origin, no plugin, no form, no frame around it.
 */
export function docsContentSecurityPolicy(html: string): string {
  const hashes = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`).join(' ') || "'none'";
  return [
    "default-src 'none'",
    `script-src ${hashes('script')}`,
    `style-src ${hashes('style')}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The docs page's Content-Security-Policy, made once from the page (the hashes of its inline script and style). */
const DOCS_POLICY = docsContentSecurityPolicy(DOCS_HTML);
