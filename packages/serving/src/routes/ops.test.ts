import { describe, expect, it } from 'vitest';
import { createApiKeyAuth, hashApiKey } from '../auth/api-keys.js';
import { createClassifierSource } from '../model/classifier-source.js';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { PROBLEM_CODES } from '../errors.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder, testKeys } from '../test-support/harness.js';
import { classify, closedAt } from '../test-support/route-helpers.js';

const build = testAppBuilder();

describe('operations routes', () => {
  it('answers an unknown path 404 naming the route probably meant', async () => {
    const { app } = await build();
    const detail = async (path: string) => (await json(app.request(path, jsonRequest({ emails: [{ body: 'invoice' }] })))).detail as string;
    expect(await detail('/v1/classify/')).toBe('No such route (did you mean /v1/classify?).');
    expect(await detail('/v1/feedbacks')).toBe('No such route (did you mean /v1/feedback?).');
    expect(await detail('/something/else/entirely')).toBe('No such route.');
  });

  it('POST /v1/admin/reload says so when the champion changed while its model loaded, which was not swapped in', async () => {
    let champion = 'm1';
    const source = createClassifierSource({
      resolve: async () => ({ id: champion, dir: '' }),
      load: async (t) => {
        if (t.id === 'm2') champion = 'm1'; // m2 rejected while it loads: m1 is the champion again
        return createFakeClassifier({ modelId: t.id });
      },
    });
    await source.reload();
    const { app } = await build({ classifierSource: source });
    champion = 'm2';
    expect(await json(app.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST' })))).toEqual({
      changed: false,
      loaded: false,
      modelId: 'm1',
      previousModelId: 'm1',
      note: 'The champion changed while m2 loaded (rejected, or another made champion), so it was not swapped in: the next poll, or another reload, loads the champion of now.',
    });
    // Rejected while it loads, with no other version Approved: no champion at all, and said so.
    const none = createClassifierSource({
      resolve: async () => (champion === 'none' ? undefined : { id: champion, dir: '' }),
      load: async (t) => {
        if (t.id === 'm3') champion = 'none';
        return createFakeClassifier({ modelId: t.id });
      },
    });
    champion = 'm1';
    await none.reload();
    const { app: noneApp } = await build({ classifierSource: none });
    champion = 'm3';
    expect(await json(noneApp.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST' })))).toMatchObject({
      changed: false,
      modelId: 'm1',
      note: 'm3 was rejected while it loaded, and the registry has no champion now: it was not swapped in, and the loaded model keeps serving until one is approved.',
    });
  });

  it('POST /v1/admin/reload writes audit lines (requested, then done or failed) with the key id and the request id, never the key', async () => {
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
    const logger = { info: at('info'), warn: at('warn'), error: at('error') };
    let champion = 'm1';
    const source = createClassifierSource({
      resolve: async () => ({ id: champion, dir: '' }),
      load: async (t) => {
        if (t.id === 'm3') throw new Error('manifest.json is missing');
        return createFakeClassifier({ modelId: t.id });
      },
    });
    await source.reload();
    const { app } = await build({ classifierSource: source, logger });
    champion = 'm2';
    const done = await app.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST', headers: { 'x-request-id': 'ops-ticket-42' } }));
    expect(done.status).toBe(200);
    expect(done.headers.get('x-request-id')).toBe('ops-ticket-42');
    const audit = (message: string) => lines.filter(([, m]) => m === message);
    expect(audit('admin reload requested')).toEqual([['info', 'admin reload requested', { requestId: 'ops-ticket-42', keyId: 'all', force: false }]]);
    expect(audit('admin reload done')).toEqual([['info', 'admin reload done', { requestId: 'ops-ticket-42', keyId: 'all', force: false, changed: true, loaded: true, modelId: 'm2', previousModelId: 'm1' }]]);
    // A failed one: the same id in its audit line and in the answer, made by the server when the caller sent none.
    lines.length = 0;
    champion = 'm3';
    const failed = await app.request('/v1/admin/reload?force=true', authed(KEYS.all, { method: 'POST' }));
    expect(failed.status).toBe(500);
    const id = failed.headers.get('x-request-id');
    expect(audit('admin reload requested')).toEqual([['info', 'admin reload requested', { requestId: id, keyId: 'all', force: true }]]);
    expect(audit('admin reload failed')).toEqual([['info', 'admin reload failed', { requestId: id, keyId: 'all', force: true, error: expect.stringContaining('manifest.json is missing') }]]);
    expect(JSON.stringify(lines)).not.toContain(KEYS.all);
  });

  it('POST /v1/admin/reload names the query parameters it does not read: ?forc=true reloads without force, and says so', async () => {
    const { app } = await build();
    const post = async (query: string) => json(app.request(`/v1/admin/reload${query}`, authed(KEYS.all, { method: 'POST' })));
    expect(await post('?forc=true')).toMatchObject({ loaded: false, warnings: ['Query parameters mailroute does not read were ignored: forc (did you mean force?). This route reads ?force= only.'] });
    expect((await post('?force=true')).warnings).toBeUndefined();
    // A body (`{"force": true}`) is not read either, and said so: the reload was not forced. (Over Node its length
    // header comes with it; `app.request` sets none.)
    const withBody = await json(app.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '14' }, body: '{"force":true}' })));
    expect(withBody).toMatchObject({ loaded: false, warnings: [expect.stringMatching(/^The request body was not read: \/v1\/admin\/reload reads only its query parameter \?force= /)] });
    const empty = await json(app.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST', headers: { 'content-length': '0' } })));
    expect(empty.warnings).toBeUndefined();
  });

  it('healthz, readyz, ping and model', async () => {
    const { app } = await build();
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await json(app.request('/readyz'))).toEqual({ status: 'ready', modelId: 'fake-1' });
    expect((await app.request('/ping')).status).toBe(200);
    const model = await json(app.request('/v1/model', authed()));
    expect(model).toMatchObject({ modelId: 'fake-1', reloads: 0, failedReloads: 0, lastReloadError: null });
    expect(model.tasks[0]).toEqual({ name: 'queue', labels: ['billing', 'technical', 'general'] });
    // A classifier that does not say how it routes (its manifest does not): null, not made up.
    expect(model.routing).toBeNull();
    const routed = await build({ classifier: { ...createFakeClassifier(), routing: { queueTask: 'queue', abstainTasks: ['queue', 'topic'], thresholds: { queue: 0.5, topic: 0.25 } } } });
    expect((await json(routed.app.request('/v1/model', authed()))).routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue', 'topic'], thresholds: { queue: 0.5, topic: 0.25 } });
    // The languages it was trained on, where its manifest records them.
    const languages = await build({ classifier: { ...createFakeClassifier(), routing: { queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0.5 }, languages: ['de', 'en'] } } });
    expect((await json(languages.app.request('/v1/model', authed()))).routing.languages).toEqual(['de', 'en']);
  });

  it('/v1/model and /metrics need a key of any scope on a server with keys (401 problem without one), and are open on one without', async () => {
    const { app } = await build();
    // The taxonomy and thresholds, and each prediction's label in the counts: not for whoever reaches the port.
    await classify(app, [{ body: 'invoice' }]);
    for (const path of ['/v1/model', '/metrics']) {
      for (const init of [{}, authed('mr_not_a_key'), { headers: { authorization: 'Basic dXNlcjpwdw==' } }]) {
        const refused = await app.request(path, init);
        expect(refused.status, path).toBe(401);
        expect(refused.headers.get('content-type'), path).toBe('application/problem+json');
        expect(refused.headers.get('www-authenticate'), path).toMatch(/^Bearer/);
        expect((await json(refused)).code, path).toBe('UNAUTHENTICATED');
      }
      // Any scope will do (Prometheus with the CRM's classify key), as Bearer or as x-api-key.
      expect((await app.request(path, authed(KEYS.classify))).status, path).toBe(200);
      expect((await app.request(path, { headers: { 'x-api-key': KEYS.classify } })).status, path).toBe(200);
      expect((await app.request(path, authed(KEYS.classify, { method: 'HEAD' }))).status, path).toBe(200);
      expect((await app.request(path, { method: 'HEAD' })).status, path).toBe(401);
    }
    expect(await (await app.request('/metrics', authed(KEYS.classify))).text()).toContain('mailroute_predictions_total{label="billing",model_id="fake-1",task="queue"} 1');
    // The health checks, the document and its page stay open, and OPTIONS needs no key anywhere.
    for (const path of ['/healthz', '/readyz', '/ping', '/openapi.json', '/docs']) expect((await app.request(path)).status, path).toBe(200);
    expect((await app.request('/metrics', { method: 'OPTIONS' })).status).toBe(204);
    // Without keys (a server on loopback): open, as before.
    const open = await build({ noAuth: true });
    for (const path of ['/v1/model', '/metrics']) expect((await open.app.request(path)).status, path).toBe(200);
    // The document says so: both ways of sending a key, and the 401.
    const doc = await json(app.request('/openapi.json'));
    for (const path of ['/v1/model', '/metrics']) {
      expect(doc.paths[path].get.security, path).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
      expect(Object.keys(doc.paths[path].get.responses), path).toEqual(expect.arrayContaining(['401', '429']));
    }
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) expect(doc.paths[path].get.security, path).toBeUndefined();
  });

  it('readyz and ping are 503 before a model is loaded', async () => {
    const source = createClassifierSource({ resolve: async () => undefined, load: async () => createFakeClassifier() });
    const { app } = await build({ classifierSource: source });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await json(res)).code).toBe('MODEL_NOT_READY');
    expect((await app.request('/ping')).status).toBe(503);
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] }))).status).toBe(503);
    // A reload with no champion to load says the same: a documented code, with Retry-After.
    const reload = await app.request('/v1/admin/reload', authed(KEYS.all, { method: 'POST' }));
    expect([reload.status, reload.headers.get('retry-after'), (await json(reload)).code]).toEqual([503, '5', 'MODEL_NOT_READY']);
  });

  it('readyz and ping are 503 once the app is closing, saying so, as classify is', async () => {
    const serving = await build({ classifier: createFakeClassifier() });
    expect((await serving.app.request('/readyz')).status).toBe(200);
    await serving.close();
    for (const route of ['/readyz', '/ping']) {
      const res = await serving.app.request(route);
      expect(res.status, route).toBe(503);
      expect(await json(res), route).toMatchObject({ code: 'MODEL_NOT_READY', detail: 'The server is shutting down: it classifies no more requests.' });
    }
  });

  it('readyz and ping are 503 while the loaded model says it cannot serve (its threads exited and could not be replaced)', async () => {
    let health = { ready: false, detail: 'No model thread is loaded (the replacement of model thread 0 failed to load: /srv/models/m1/manifest.json is missing).' };
    const classifier = Object.assign(createFakeClassifier(), { health: () => health });
    const { app } = await build({ classifier });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.code).toBe('MODEL_NOT_READY');
    expect(problem.detail).toContain('model thread 0 failed to load');
    expect(problem.detail).not.toContain('/srv/models'); // public route: paths cut to the file name
    expect((await app.request('/ping')).status).toBe(503);
    health = { ready: true, detail: '' };
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('exports Prometheus metrics: requests, latency, predictions, abstentions, model', async () => {
    const { app } = await build();
    // Each task of the served model has its abstentions from 0 before the first email (a series first seen at 1 shows no increase()).
    const before = await (await app.request('/metrics', authed())).text();
    expect(before).toContain('mailroute_abstentions_total{model_id="fake-1",task="queue"} 0');
    expect(before).toContain('mailroute_abstentions_total{model_id="fake-1",task="topic"} 0');
    const started = performance.now();
    await classify(app, [{ body: 'invoice' }, { body: 'hello' }]);
    const tookSeconds = (performance.now() - started) / 1000;
    const res = await app.request('/metrics', authed());
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('mailroute_http_requests_total{method="POST",route="/v1/classify",status="200"} 1');
    expect(text).toContain('mailroute_http_request_duration_seconds_bucket{route="/v1/classify",status_class="2xx",le="+Inf"} 1');
    // In seconds: no more than the request took as this test saw it (in milliseconds it would be a thousand times that).
    const sum = Number(/^mailroute_http_request_duration_seconds_sum\{route="\/v1\/classify",status_class="2xx"\} (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(tookSeconds);
    expect(text).toContain('mailroute_predictions_total{label="billing",model_id="fake-1",task="queue"} 1');
    expect(text).toContain('mailroute_abstentions_total{model_id="fake-1",task="queue"} 1');
    expect(text).toContain('mailroute_model_info{model_id="fake-1"} 1');
  });

  it('keeps refusals out of the latency of what a route served: a status_class label, 2xx apart from 4xx and 5xx', async () => {
    const { app } = await build();
    await classify(app, [{ body: 'invoice' }]);
    // Refused at once: no key (401), a key without the scope (403).
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice' }] }, null))).status).toBe(401);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'x', labels: { queue: 'billing' }, closedAt: new Date().toISOString() }, KEYS.classify))).status).toBe(403);
    const text = await (await app.request('/metrics', authed())).text();
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify",status_class="2xx"\} 1$/m);
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify",status_class="4xx"\} 1$/m);
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/feedback",status_class="4xx"\} 1$/m);
    expect(text).not.toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/feedback",status_class="2xx"\}/m);
    // Every series has both labels: none by route alone.
    expect(text).not.toMatch(/^mailroute_http_request_duration_seconds_\w+\{route="[^"]*"(,le="[^"]*")?\}/m);
  });

  it('starts the abstentions of a new model\'s tasks at 0 when it is swapped in', async () => {
    let champion = 'm1';
    const source = createClassifierSource({
      resolve: async () => ({ id: champion, dir: '' }),
      load: async (t) => {
        const c = createFakeClassifier({ modelId: t.id });
        return t.id === 'm2' ? Object.assign(c, { tasks: [...c.tasks, { name: 'business_area', labels: ['retail', 'corporate'] }] }) : c;
      },
      verify: async () => undefined,
    });
    await source.reload();
    const { app } = await build({ classifierSource: source });
    champion = 'm2';
    await source.reload();
    const text = await (await app.request('/metrics', authed())).text();
    expect(text).toContain('mailroute_abstentions_total{model_id="m2",task="business_area"} 0');
    // The model before keeps its own series: the two models' counts are told apart.
    expect(text).toContain('mailroute_abstentions_total{model_id="m1",task="queue"} 0');
    expect(text).toContain('mailroute_model_info{model_id="m2"} 1');
  });

  it('counts a registry that cannot be read apart from failed model loads, and clears its error from /v1/model once it can', async () => {
    let unreadable = false;
    const source = createClassifierSource({
      resolve: async () => {
        if (unreadable) throw new Error('/srv/mailroute/registry.json: not JSON (Unexpected end of JSON input)');
        return { id: 'm1', dir: '' };
      },
      load: async (t) => createFakeClassifier({ modelId: t.id }),
    });
    await source.reload();
    const { app } = await build({ classifierSource: source });
    unreadable = true;
    for (let i = 0; i < 3; i++) await source.reload().catch(() => undefined); // three polls
    let text = await (await app.request('/metrics', authed())).text();
    expect(text).toMatch(/^mailroute_registry_read_failures_total 3$/m);
    // No model failed to load: an alert on failed loads stays quiet.
    expect(text).toMatch(/^mailroute_model_reloads_total\{result="failure"\} 0$/m);
    let model = await json(app.request('/v1/model', authed()));
    expect(model).toMatchObject({ modelId: 'm1', failedReloads: 0, lastReloadError: { message: 'registry.json: not JSON (Unexpected end of JSON input)' } });
    unreadable = false;
    await source.reload();
    model = await json(app.request('/v1/model', authed()));
    expect(model).toMatchObject({ modelId: 'm1', failedReloads: 0, lastReloadError: null });
    text = await (await app.request('/metrics', authed())).text();
    expect(text).toMatch(/^mailroute_registry_read_failures_total 3$/m);
  });

  it('a key with the metrics scope alone reads /metrics and /v1/model and nothing else (Prometheus needs no key that classifies)', async () => {
    const prometheus = 'mr_test_metrics_only';
    const { app } = await build({ auth: createApiKeyAuth([...testKeys(), { id: 'prometheus', sha256: hashApiKey(prometheus), scopes: ['metrics'] }]) });
    for (const path of ['/metrics', '/v1/model']) expect((await app.request(path, authed(prometheus))).status, path).toBe(200);
    const refused = [
      await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice' }] }, prometheus)),
      await app.request('/invocations', jsonRequest({ emails: [{ body: 'invoice' }] }, prometheus)),
      await app.request('/v1/feedback', jsonRequest({ emailId: 'x', labels: { queue: 'billing' }, closedAt: new Date().toISOString() }, prometheus)),
      await app.request('/v1/quality', authed(prometheus)),
      await app.request('/v1/admin/reload', authed(prometheus, { method: 'POST' })),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect((await json(refused[0])).detail).toContain('The API key "prometheus" lacks the "classify" scope this route needs (it has metrics)');
  });

  it('documents the stable problem codes as an enum and describes every field of Email, FeedbackRequest and Quality', async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const { Problem, Email, FeedbackRequest } = doc.components.schemas;
    expect(Problem.properties.code.enum).toEqual([...PROBLEM_CODES]);
    expect(Problem.properties.code.enum).toEqual(expect.arrayContaining(['REQUEST_INVALID', 'LABEL_NOT_IN_TAXONOMY', 'RATE_LIMITED', 'INTERNAL', 'NOT_READY']));
    // And every field of the answers the CRM reads, down to a task's prediction and the route.
    const { ClassifyResponse, ClassifiedEmail, FeedbackResponse } = doc.components.schemas;
    const answers = [ClassifyResponse, ClassifiedEmail, ClassifiedEmail.properties.tasks.additionalProperties, ClassifiedEmail.properties.route, FeedbackResponse];
    for (const schema of [Email, FeedbackRequest, ...answers]) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) expect(property.description, name).toBeTruthy();
    }
    expect(FeedbackRequest.properties.predictionId.description).toContain('predictionId or emailId is required');
    expect(FeedbackRequest.properties.closedAt.description).toMatch(/ISO 8601.*RFC 2822/);
    expect(Email.properties.receivedAt.description).toMatch(/ISO 8601.*RFC 2822/);
    // The figures a service lead reads, and the window: selected by prediction time, which a reader must be told.
    const { Quality } = doc.components.schemas;
    const task = Quality.properties.tasks.additionalProperties;
    for (const schema of [Quality, task, task.properties.bands.items, task.properties.drift]) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) expect(property.description, name).toBeTruthy();
    }
    const hours = (doc.paths['/v1/quality'].get.parameters as { name: string; description?: string }[]).find((p) => p.name === 'hours');
    expect(hours?.description).toMatch(/by when they were made, not by closedAt/);
    // What an answer says is one of them.
    const problem = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'x', labels: { queu: 'billing' }, closedAt })));
    expect(Problem.properties.code.enum).toContain(problem.code);
  });

  it('gives client generators what they need: a unique operationId and a tag per operation, the headers of error answers, integers and formats', async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method} ${route}`, ...op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(13);
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tagNames = (doc.tags as { name: string }[]).map((t) => t.name);
    for (const o of operations) expect(o.tags?.every((t) => tagNames.includes(t)) && o.tags.length > 0, o.name).toBe(true);
    // Every error answer carries x-request-id; 429 and 503 say when to come back, 405 which methods the route takes.
    for (const o of operations) {
      for (const [status, response] of Object.entries(o.responses)) {
        if (status === 'default' || Number(status) >= 400) expect(Object.keys(response.headers ?? {}), `${o.name} ${status}`).toContain('x-request-id');
      }
      expect(o.responses.default, o.name).toBeDefined();
    }
    const classify = doc.paths['/v1/classify'].post.responses;
    expect(classify['429'].headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 0 });
    expect(Object.keys(classify['503'].headers)).toContain('Retry-After');
    expect(Object.keys(classify['405'].headers)).toContain('Allow');
    expect(Object.keys(classify['401'].headers)).toContain('WWW-Authenticate');
    expect(doc.paths['/v1/classify/eml'].post.requestBody.content['message/rfc822'].schema.format).toBe('binary');
    expect(doc.components.schemas.Quality.properties.predictions.type).toBe('integer');
    expect(doc.components.schemas.ClassifiedEmail.properties.predictionId.format).toBe('uuid');
  });

  it('serves the OpenAPI document from the zod schemas and a self-contained docs page', async () => {
    const { app } = await build({ limits: { maxBatch: 17 } });
    const doc = await json(app.request('/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/classify', '/v1/feedback', '/v1/quality', '/invocations', '/v1/model']));
    expect(doc.components.schemas.ClassifyRequest.properties.emails.maxItems).toBe(17);
    // Both ways of sending a key, as schemes client generators understand.
    expect(doc.components.securitySchemes.apiKeyHeader).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    expect(doc.paths['/v1/classify'].post.security).toEqual([{ apiKey: ['classify'] }, { apiKeyHeader: ['classify'] }]);
    // A 405 body's `allow` is in the schema; routes without a body do not promise 413 or 415.
    expect(doc.components.schemas.Problem.properties.allow).toEqual(expect.objectContaining({ type: 'array' }));
    expect(Object.keys(doc.paths['/v1/classify'].post.responses)).toEqual(expect.arrayContaining(['413', '415']));
    expect(Object.keys(doc.paths['/v1/quality'].get.responses)).not.toContain('415');
    // A body that does not all arrive in time is a 408 on every route that takes one; a slow answer is a 503.
    for (const path of ['/v1/classify', '/v1/classify/eml', '/invocations', '/v1/feedback']) expect(doc.paths[path].post.responses['408']?.description, path).toContain('REQUEST_TIMEOUT');
    expect(Object.keys(doc.paths['/v1/quality'].get.responses)).not.toContain('408');
    // The SageMaker route answers 406 to an Accept without JSON, and says so.
    expect(Object.keys(doc.paths['/invocations'].post.responses)).toContain('406');
    // Behind the AWS Lambda a classify can fail at the SageMaker endpoint (502): the CRM's document says so; the container's own route cannot.
    for (const path of ['/v1/classify', '/v1/classify/eml']) expect(doc.paths[path].post.responses['502']?.description, path).toMatch(/ENDPOINT_FAILED.*SAGEMAKER_RESPONSE_INVALID/);
    expect(Object.keys(doc.paths['/invocations'].post.responses)).not.toContain('502');
    // A compressed body is refused (415) on every route that takes one; the raw-email route's 400 and 415 name its own causes, not JSON's.
    for (const path of ['/v1/classify', '/v1/classify/eml', '/invocations', '/v1/feedback']) expect(doc.paths[path].post.responses['415'].description, path).toContain('Content-Encoding');
    const eml = doc.paths['/v1/classify/eml'].post.responses;
    expect(eml['415'].description).toContain('message/rfc822');
    expect(eml['415'].description).not.toContain('JSON');
    expect(eml['400'].description).toContain('invalid_eml');
    expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain']);
    expect(Object.keys(doc.paths['/v1/admin/reload'].post.responses)).not.toContain('413');
    // The feedback example stays one the server takes: closed recently, not on a fixed date the retention will pass.
    const closed = Date.parse(doc.components.schemas.FeedbackRequest.example.closedAt);
    expect(Date.now() - closed).toBeGreaterThan(0);
    expect(Date.now() - closed).toBeLessThan(2 * 86_400_000);
    // Every path is in the document, with the 405 that every known path gives to another method.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/openapi.json', '/docs', '/healthz', '/readyz', '/ping', '/metrics']));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses), path).toContain('405');
    }
    expect(doc.paths['/docs'].get.responses['200'].content).toHaveProperty(['text/html']);
    for (const path of ['/docs', '/openapi.json', '/healthz']) expect((await app.request(path, { method: 'POST' })).status, path).toBe(405);
    const html = await (await app.request('/docs')).text();
    // Relative, so behind a named stage (/prod/docs) the page loads /prod/openapi.json.
    expect(html).toContain("fetch('openapi.json')");
    expect(new URL('openapi.json', 'https://api.example.com/prod/docs').pathname).toBe('/prod/openapi.json');
    expect(html).not.toContain("'/openapi.json'");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});
