import { createHash } from 'node:crypto';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaHandler } from './adapters/lambda.js';
import { docsContentSecurityPolicy } from './app.js';
import { authed, jsonRequest, KEYS, testAppBuilder } from './test-support/harness.js';
import { invoiceEmail } from './test-support/route-helpers.js';

const build = testAppBuilder();

/** The sha256 of each inline block of `tag` in `html`, as a CSP source. */
function inlineHashes(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
}

describe('response headers', () => {
  it('every answer is nosniff; answers with a caller\'s data, or errors, are no-store; the docs page and document may be kept', async () => {
    const { app } = await build();
    const answers = {
      classify: await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] })),
      eml: await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: 'Subject: Rechnung\r\n\r\nRechnung fehlt\r\n' })),
      quality: await app.request('/v1/quality', authed(KEYS.all)),
      model: await app.request('/v1/model', authed(KEYS.all)),
      metrics: await app.request('/metrics', authed(KEYS.all)),
      unauthenticated: await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null)),
      notFound: await app.request('/nothing'),
      options: await app.request('/v1/classify', { method: 'OPTIONS' }),
      healthz: await app.request('/healthz'),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.status, name).toBeLessThan(500);
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('cache-control'), name).toBe('no-store');
      expect(res.headers.get('content-security-policy'), name).toBeNull();
    }
    expect(answers.classify.status).toBe(200);
    for (const path of ['/docs', '/openapi.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('cache-control'), path).toBeNull();
    }
  });

  it('the docs page runs only its own inline script and style, fetches only its own origin, and loads nothing else', async () => {
    const { app } = await build();
    const res = await app.request('/docs');
    const html = await res.text();
    const policy = res.headers.get('content-security-policy');
    const scripts = inlineHashes(html, 'script');
    const styles = inlineHashes(html, 'style');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(policy).toBe(`default-src 'none'; script-src ${scripts[0]}; style-src ${styles[0]}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    // Nothing from another origin to allow: no src attribute, no stylesheet link, no absolute URL fetched.
    expect(html).not.toMatch(/\ssrc=|<link|@import|url\(|fetch\(['"]https?:/i);
    // HEAD gets the same policy.
    expect((await app.request('/docs', { method: 'HEAD' })).headers.get('content-security-policy')).toBe(policy);
    expect(docsContentSecurityPolicy('<p>no script</p>')).toContain("script-src 'none'; style-src 'none'");
  });

  it('the Lambda adapter, on the same app, answers with the same headers', async () => {
    const serving = await build();
    const handler = createLambdaHandler(serving);
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/classify',
      rawQueryString: '',
      headers: { host: 'abc123.execute-api.eu-central-1.amazonaws.com', 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` },
      requestContext: {
        domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
        http: { method: 'POST', path: '/v1/classify', protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'crm/1.0' },
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
      },
      body: JSON.stringify({ emails: [invoiceEmail] }),
      isBase64Encoded: false,
    } as unknown as LambdaEvent;
    const res = await handler(event, { awsRequestId: 'req-1' } as unknown as LambdaContext);
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });
});
