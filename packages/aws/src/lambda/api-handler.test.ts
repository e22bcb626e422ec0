import { describe, it, expect, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient, SageMakerRuntimeServiceException, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { API_ENV, lambdaRequestTimeoutMs } from '../contracts.js';
import { apiConfigFromEnv, createApiLambdaHandler, defaultAwsServingDeps, SDK_TIMEOUTS } from './api-handler.js';
import { ManifestCache } from './champion-tasks.js';
import { crmToken, gatewayEvent, lambdaContext, s3Body } from '../test-support/gateway-event.js';


const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const runtime = new SageMakerRuntimeClient({ region: 'eu-central-1', credentials });
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials }));
const s3Mock = mockClient(s3);
const smMock = mockClient(runtime);
const ddbMock = mockClient(dynamo);
type Out = never;

const env = {
  [API_ENV.endpointName]: 'mailroute-dev-classifier',
  [API_ENV.tableName]: 'mailroute-dev-predictions',
  [API_ENV.artifactBucket]: 'mailroute-dev-artifacts-111111111111',
  [API_ENV.modelsPrefix]: 'models/',
};

const body = s3Body;
const token = crmToken;
const context = lambdaContext;
/** The event for `method rawPath` through the API's `ANY /v1/{proxy+}` route, no authorizer context. */
const event = (method: string, rawPath: string, payload?: unknown, headers: Record<string, string> = {}) => gatewayEvent(method, rawPath, payload, { headers });

describe('API Lambda wired with the AWS adapters', () => {
  beforeEach(() => {
    s3Mock.reset();
    smMock.reset();
    ddbMock.reset();
    s3Mock.on(GetObjectCommand, { Key: 'models/champion.json' }).resolves(body(JSON.stringify({ id: 'ngram-bag-1', setAt: '2026-11-01T00:00:00Z' })));
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['payments', 'cards'] }] })));
    smMock.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id?: string }[] };
      const predictions = sent.emails.map((e) => ({
        id: e.id,
        modelId: 'ngram-bag-1',
        predictionId: 'inside-container',
        tasks: { queue: { label: 'payments', confidence: 0.9, top: [{ label: 'payments', score: 0.9 }], abstained: false } },
        route: { queue: 'payments', reason: 'confident' },
      }));
      return { Body: new TextEncoder().encode(JSON.stringify({ modelId: 'ngram-bag-1', predictions })) } as Out;
    });
    ddbMock.on(TransactWriteCommand).resolves({} as Out);
  });

  it('classifies through the endpoint and records the prediction in DynamoDB', async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const res = await handler(event('POST', '/v1/classify', { emails: [{ id: 'crm-1', subject: 'Karte gesperrt', body: 'Bitte entsperren.' }] }, { authorization: `Bearer ${token}` }), context);
    expect(res.statusCode).toBe(200);
    const json = JSON.parse(res.body) as { modelId: string; predictions: { id: string; route: { queue: string }; predictionId: string }[] };
    expect(json.predictions[0]).toMatchObject({ id: 'crm-1', route: { queue: 'payments' } });
    expect(json.predictions[0].predictionId).not.toBe('inside-container');
    expect(smMock.commandCalls(InvokeEndpointCommand)[0].args[0].input.EndpointName).toBe('mailroute-dev-classifier');
    const put = ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0].Put;
    expect(put?.TableName).toBe('mailroute-dev-predictions');
    expect(put?.Item).toMatchObject({ emailId: 'crm-1', modelId: 'ngram-bag-1', queue: 'payments' });
    // The authorizer also passes a bare token (no `Bearer`): so does the app, naming the caller from it.
    const bare = await handler(event('POST', '/v1/classify', { emails: [{ id: 'crm-2', body: 'Bitte entsperren.' }] }, { authorization: token, 'x-api-key': 'forged' }), context);
    expect(bare.statusCode).toBe(200);
  });

  it('answers a denied or missing endpoint with its own problem, not a bare 500: the CRM reads why, and whether to retry', async () => {
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo, logger: { info: log('info'), warn: log('warn'), error: log('error') } });
    const classify = () => handler(event('POST', '/v1/classify', { emails: [{ id: 'crm-1', body: 'Bitte entsperren.' }] }, { authorization: `Bearer ${token}` }), context);
    expect((await classify()).statusCode).toBe(200); // built, the endpoint answering
    const denied = new SageMakerRuntimeServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'User: arn:aws:sts::111111111111:assumed-role/api/fn is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:eu-central-1:111111111111:endpoint/mailroute-dev-classifier',
    });
    smMock.on(InvokeEndpointCommand).rejects(denied);
    const refused = await classify();
    expect(refused.statusCode).toBe(500);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'ENDPOINT_ACCESS_DENIED', endpoint: 'mailroute-dev-classifier', permission: 'sagemaker:InvokeEndpoint' });
    expect(refused.body).not.toMatch(/111111111111|assumed-role/);
    // The operator sees it: at error level, with the code and the SDK error behind it (in the log only).
    expect(lines.filter(([level]) => level === 'error')).toEqual([
      ['error', 'request failed', expect.objectContaining({ code: 'ENDPOINT_ACCESS_DENIED', cause: expect.stringMatching(/^AccessDeniedException: .*sagemaker:InvokeEndpoint/) })],
    ]);
    lines.length = 0;
    smMock.on(InvokeEndpointCommand).rejects(new ValidationError({ $metadata: { httpStatusCode: 400 }, message: 'Endpoint mailroute-dev-classifier of account 111111111111 not found.' }));
    const missing = await classify();
    expect(missing.statusCode).toBe(503);
    expect(missing.headers).toMatchObject({ 'retry-after': '30' });
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'ENDPOINT_NOT_IN_SERVICE', endpoint: 'mailroute-dev-classifier' });
    // A refusal with Retry-After: the rate-limited `request refused` line, naming the code.
    expect(lines).toEqual([['warn', 'request refused', expect.objectContaining({ status: 503, code: 'ENDPOINT_NOT_IN_SERVICE' })]]);
  });

  it('keeps the masked text with each prediction only when the stack says so (MAILROUTE_STORE_TEXT), for the feedback export', async () => {
    const email = { id: 'crm-t', subject: 'Überweisung', body: 'Bitte überweisen Sie auf DE89 3704 0044 0532 0130 00.\n\nViele Grüße\nErika Mustermann', attachmentNames: ['Vollmacht_Erika_Mustermann.pdf'] };
    const storedItem = async (extra: Record<string, string | undefined>) => {
      ddbMock.resetHistory();
      const handler = createApiLambdaHandler({ ...env, ...extra }, { s3, runtime, dynamo });
      const res = await handler(event('POST', '/v1/classify', { emails: [email] }, { authorization: `Bearer ${token}` }), context);
      expect(res.statusCode).toBe(200);
      return ddbMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0].Put?.Item;
    };
    const kept = await storedItem({ [API_ENV.storeText]: 'true' });
    expect(kept?.text).toContain('Bitte überweisen Sie auf [IBAN]');
    expect(JSON.stringify(kept)).not.toMatch(/DE89|Mustermann/);
    expect(kept?.attachmentNames).toEqual([expect.stringContaining('[NAME]')]);
    for (const off of [{}, { [API_ENV.storeText]: 'false' }]) {
      const item = await storedItem(off);
      expect(item).toMatchObject({ emailId: 'crm-t' });
      expect(item?.text).toBeUndefined();
      expect(item?.attachmentNames).toBeUndefined();
    }
    expect(() => apiConfigFromEnv({ ...env, [API_ENV.storeText]: 'yes' })).toThrow(/MAILROUTE_STORE_TEXT: true or false/);
  });

  it('routes an automated email as automated though the endpoint image predates the rule (it answers confident)', async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const res = await handler(
      event('POST', '/v1/classify', { emails: [{ id: 'ooo', subject: 'Automatische Antwort: Karte', body: 'Ich bin nicht im Büro.' }, { id: 'p', subject: 'Karte', body: 'Bitte entsperren.' }] }, { authorization: `Bearer ${token}` }),
      context,
    );
    const json = JSON.parse(res.body) as { predictions: { id: string; route: { queue: string; reason: string }; automated?: string }[] };
    expect(json.predictions.map((p) => [p.id, p.route, p.automated])).toEqual([
      ['ooo', { queue: 'manual_triage', reason: 'automated' }, 'auto_reply'],
      ['p', { queue: 'payments', reason: 'confident' }, undefined],
    ]);
    // The record stored says manual triage, as the answer does.
    const puts = ddbMock.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []).map((t) => t.Put?.Item);
    expect(puts.find((item) => item?.emailId === 'ooo')).toMatchObject({ queue: 'manual_triage' });
  });

  it("reads a published model's manifest from S3 once per container", async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const auth = { authorization: `Bearer ${token}` };
    expect((await handler(event('POST', '/v1/classify', { emails: [{ id: 'crm-1', body: 'Bitte entsperren.' }] }, auth), context)).statusCode).toBe(200);
    expect((await handler(event('GET', '/v1/quality', undefined, auth), context)).statusCode).toBe(200);
    expect((await handler(event('GET', '/v1/model', undefined, auth), context)).statusCode).toBe(200);
    // The champion's tasks, the endpoint's first answer and drift's label shares each read it before.
    expect(s3Mock.commandCalls(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' })).toHaveLength(1);
  });

  it('reads a manifest again after a failed read', async () => {
    const cache = new ManifestCache(s3, 'b');
    s3Mock.on(GetObjectCommand, { Key: 'models/m1/manifest.json' }).rejectsOnce(Object.assign(new Error('slow down'), { name: 'SlowDown' })).resolves(body('{"tasks": []}'));
    await expect(cache.read('models/m1/manifest.json')).rejects.toThrow();
    expect(await cache.read('models/m1/manifest.json')).toEqual({ tasks: [] });
    expect(await cache.read('models/m1/manifest.json')).toEqual({ tasks: [] });
    expect(s3Mock.commandCalls(GetObjectCommand, { Key: 'models/m1/manifest.json' })).toHaveLength(2);
    // Not found is not kept (a model published later is read then); the bootstrap's is never kept.
    s3Mock
      .on(GetObjectCommand, { Key: 'models/m2/manifest.json' })
      .rejectsOnce(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }))
      .resolves(body('{"tasks": [1]}'));
    expect(await cache.read('models/m2/manifest.json')).toBeUndefined();
    s3Mock.on(GetObjectCommand, { Key: 'models/bootstrap/manifest.json' }).resolves(body('{"modelId": "x"}'));
    await cache.read('models/bootstrap/manifest.json');
    await cache.read('models/bootstrap/manifest.json');
    expect(s3Mock.commandCalls(GetObjectCommand, { Key: 'models/bootstrap/manifest.json' })).toHaveLength(2);
    expect(await cache.read('models/m2/manifest.json')).toEqual({ tasks: [1] });
  });

  it('takes its task list from the model the endpoint says it serves, not from a stale champion.json', async () => {
    // champion.json still names ngram-bag-1, but the endpoint was updated to ngram-bag-2 (approved in the console).
    s3Mock
      .on(GetObjectCommand, { Key: 'models/ngram-bag-2/manifest.json' })
      .resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['payments', 'cards', 'tax_documents'], threshold: 0.42 }], routing: { queueTask: 'queue' } })));
    smMock.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id?: string }[] };
      const predictions = sent.emails.map((e) => ({
        id: e.id,
        modelId: 'ngram-bag-2',
        tasks: { queue: { label: 'tax_documents', confidence: 0.9, top: [{ label: 'tax_documents', score: 0.9 }], abstained: false } },
        route: { queue: 'tax_documents', reason: 'confident' },
      }));
      return { Body: new TextEncoder().encode(JSON.stringify({ modelId: 'ngram-bag-2', predictions })) } as Out;
    });
    ddbMock.on(PutCommand).resolves({} as Out);
    ddbMock.on(GetCommand).resolves({} as Out);
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const model = JSON.parse((await handler(event('GET', '/v1/model', undefined, { authorization: `Bearer ${token}` }), context)).body) as { modelId: string; tasks: { labels: string[] }[]; routing: unknown };
    expect(model.modelId).toBe('ngram-bag-2');
    expect(model.tasks[0].labels).toContain('tax_documents');
    // How it routes, from the manifest of the model that answers, as on Node.
    expect(model.routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0.42 } });
    // Feedback with the new model's label is accepted (it was refused against champion.json's old labels).
    const fb = await handler(event('POST', '/v1/feedback', { emailId: 'crm-9', labels: { queue: 'tax_documents' }, closedAt: new Date().toISOString() }, { authorization: `Bearer ${token}` }), context);
    expect(fb.statusCode).toBe(202);
    // A case closed before the feedback TTL (MAILROUTE_FEEDBACK_TTL_DAYS, 400) would be expired on arrival: refused.
    const old = await handler(event('POST', '/v1/feedback', { emailId: 'crm-9', labels: { queue: 'tax_documents' }, closedAt: new Date(Date.now() - 401 * 86_400_000).toISOString() }, { authorization: `Bearer ${token}` }), context);
    expect(old.statusCode).toBe(400);
    expect(JSON.parse(old.body)).toMatchObject({ code: 'REQUEST_INVALID', issues: [{ path: ['closedAt'], code: 'too_old' }] });
  });

  it("measures /v1/quality's drift against the serving model's training label shares, read from its manifest in S3", async () => {
    const manifest = { tasks: [{ name: 'queue', labels: ['payments', 'cards'] }], training: { labelDistribution: { queue: { payments: 80, cards: 20 } } } };
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify(manifest)));
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const quality = async () => JSON.parse((await handler(event('GET', '/v1/quality', undefined, { authorization: `Bearer ${token}` }), context)).body) as { tasks: Record<string, { drift: { reference: string } }> };
    expect((await quality()).tasks.queue.drift.reference).toBe('training');
    // A manifest that records no shares: no training reference, as on a local server.
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify({ tasks: manifest.tasks })));
    const bare = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const answer = JSON.parse((await bare(event('GET', '/v1/quality', undefined, { authorization: `Bearer ${token}` }), context)).body) as { tasks: Record<string, { drift: { reference: string } }> };
    expect(answer.tasks.queue.drift.reference).not.toBe('training');
  });

  it('serves before the first approval: the bootstrap artifact answers with its own model id, which has no directory', async () => {
    s3Mock.reset();
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));
    s3Mock.on(GetObjectCommand, { Key: 'models/bootstrap/manifest.json' }).resolves(body(JSON.stringify({ modelId: 'ngram-bag-1', tasks: [{ name: 'queue', labels: ['payments', 'cards'] }] })));
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    for (let i = 0; i < 2; i++) {
      const res = await handler(event('POST', '/v1/classify', { emails: [{ id: `crm-${i}`, body: 'Karte gesperrt' }] }, { authorization: `Bearer ${token}` }), context);
      expect(res.statusCode).toBe(200);
    }
    const model = JSON.parse((await handler(event('GET', '/v1/model', undefined, { authorization: `Bearer ${token}` }), context)).body) as { tasks: { labels: string[] }[] };
    expect(model.tasks[0].labels).toEqual(['payments', 'cards']);
  });

  it("checks feedback as on Node: the training config's renames and retired labels, the labels merged into other, and the labels of the model that made the prediction", async () => {
    // The served model renamed `karten` to `cards` and retired `legacy`; a rolled-back model knew `tax_documents`.
    const trainingConfig = { tasks: [{ name: 'queue', aliases: { karten: 'cards' }, retired: ['legacy'] }, { name: 'urgency' }] };
    // Its training merged the rare `inheritance` into other.
    const served = { tasks: [{ name: 'queue', labels: ['payments', 'cards', 'other'], mergedIntoOther: ['inheritance'] }, { name: 'urgency', labels: ['low', 'high'] }], trainingConfig };
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-1/manifest.json' }).resolves(body(JSON.stringify(served)));
    // The endpoint answers both of its tasks (an answer without one is refused).
    smMock.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id?: string }[] };
      const answer = (label: string) => ({ label, confidence: 0.9, top: [{ label, score: 0.9 }], abstained: false });
      const predictions = sent.emails.map((e) => ({ id: e.id, modelId: 'ngram-bag-1', tasks: { queue: answer('payments'), urgency: answer('low') }, route: { queue: 'payments', reason: 'confident' } }));
      return { Body: new TextEncoder().encode(JSON.stringify({ modelId: 'ngram-bag-1', predictions })) } as Out;
    });
    s3Mock.on(GetObjectCommand, { Key: 'models/ngram-bag-2/manifest.json' }).resolves(body(JSON.stringify({ tasks: [{ name: 'queue', labels: ['payments', 'cards', 'tax_documents'] }] })));
    ddbMock.on(PutCommand).resolves({} as Out);
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    const byId = { predictionId: '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d92', emailId: 'e2', modelId: 'ngram-bag-2', createdAt: '2026-11-28T10:00:00.000Z', labels: { queue: 'tax_documents' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'tax_documents', latencyMs: 1 };
    ddbMock.on(GetCommand).resolves({ Item: byId } as Out);
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const auth = { authorization: `Bearer ${token}` };
    const closedAt = new Date().toISOString();
    const retired = await handler(event('POST', '/v1/feedback', { emailId: 'e1', labels: { queue: 'legacy', urgency: 'high' }, closedAt }, auth), context);
    expect(retired.statusCode).toBe(202);
    expect(JSON.parse(retired.body)).toMatchObject({ ignored: { queue: '"legacy" is a retired label' } });
    expect((await handler(event('POST', '/v1/feedback', { emailId: 'e1', labels: { queue: 'karten' }, closedAt }, auth), context)).statusCode).toBe(202);
    const rare = await handler(event('POST', '/v1/feedback', { emailId: 'e1', labels: { queue: 'inheritance' }, closedAt }, auth), context);
    expect(rare.statusCode).toBe(202);
    expect(JSON.parse(rare.body).readAs).toEqual({ queue: expect.stringMatching(/^"inheritance" is read as "other": .*merged it into other$/) });
    const other = await handler(event('POST', '/v1/feedback', { predictionId: '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d92', labels: { queue: 'tax_documents' }, closedAt }, auth), context);
    expect(other.statusCode).toBe(202);
    // The other model's manifest alone is read from S3 (no artifact download), once.
    await handler(event('POST', '/v1/feedback', { predictionId: '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d92', labels: { queue: 'tax_documents' }, closedAt }, auth), context);
    expect(s3Mock.commandCalls(GetObjectCommand, { Key: 'models/ngram-bag-2/manifest.json' })).toHaveLength(1);
  });

  it('answers a DynamoDB that stays busy with 503 STORE_UNAVAILABLE and Retry-After, any other store failure with 500 STORE_FAILED', async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const auth = { authorization: `Bearer ${token}` };
    // Closed now: a fixed date would be refused as older than the feedback TTL (400 days) once that long has passed.
    const feedback = () => handler(event('POST', '/v1/feedback', { emailId: 'crm-1', labels: { queue: 'cards' }, closedAt: new Date().toISOString() }, auth), context);
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    ddbMock.on(PutCommand).resolves({} as Out);
    const problemOf = (res: Awaited<ReturnType<typeof feedback>>) => ({ status: res.statusCode, type: res.headers?.['content-type'], retryAfter: res.headers?.['retry-after'], code: (JSON.parse(res.body) as { code: string }).code });
    // An earlier try under the same token still being applied, five times over.
    ddbMock.on(TransactWriteCommand).rejects(Object.assign(new Error('Transaction is ongoing for the idempotency token'), { name: 'TransactionInProgressException' }));
    expect(problemOf(await feedback())).toEqual({ status: 503, type: 'application/problem+json', retryAfter: '1', code: 'STORE_UNAVAILABLE' });
    expect(ddbMock.commandCalls(TransactWriteCommand)).toHaveLength(5);
    // Throttling the SDK has retried already.
    ddbMock.on(QueryCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    expect(problemOf(await feedback())).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE', retryAfter: '1' });
    // A missing table, as the SQLite store answers an unreadable database.
    ddbMock.on(QueryCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    const failed = await feedback();
    expect(problemOf(failed)).toEqual({ status: 500, type: 'application/problem+json', retryAfter: undefined, code: 'STORE_FAILED' });
    expect(failed.body).not.toMatch(/\n\s+at /);
  });

  it("gives /v1/quality API Gateway's time, not the server's 10 s: DynamoDB reads that take 11 s are answered", async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    // The first page slow (a busy table), the others at once.
    let first = true;
    ddbMock.on(QueryCommand).callsFake(async () => {
      if (first) await new Promise((resolve) => setTimeout(resolve, 11_000));
      first = false;
      return { Items: [] };
    });
    const res = await handler(event('GET', '/v1/quality', undefined, { authorization: `Bearer ${token}` }), context);
    expect(res.statusCode).toBe(200);
    expect((JSON.parse(res.body) as { predictions: number }).predictions).toBe(0);
  }, 30_000);

  it("takes the request deadline from the stack (MAILROUTE_REQUEST_TIMEOUT_MS, 2 s under the function's timeout), at most 27 s", () => {
    expect(apiConfigFromEnv(env).requestTimeoutMs).toBe(27_000);
    expect(apiConfigFromEnv({ ...env, [API_ENV.requestTimeoutMs]: String(lambdaRequestTimeoutMs(20)) }).requestTimeoutMs).toBe(18_000);
    expect(lambdaRequestTimeoutMs(1)).toBe(500);
    expect(() => apiConfigFromEnv({ ...env, [API_ENV.requestTimeoutMs]: '60000' })).toThrow(/MAILROUTE_REQUEST_TIMEOUT_MS/);
  });

  it("takes the CRM's time zone from the stack (MAILROUTE_TIME_ZONE): unset, UTC; one Node does not know refused", () => {
    expect(apiConfigFromEnv(env).timeZone).toBeUndefined();
    expect(apiConfigFromEnv({ ...env, [API_ENV.timeZone]: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
    expect(() => apiConfigFromEnv({ ...env, [API_ENV.timeZone]: 'Europe/Berlinn' })).toThrow(/MAILROUTE_TIME_ZONE: not a time zone/);
  });

  it("names the stack's environment (MAILROUTE_ENVIRONMENT) on every log line", async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (message: string, fields?: Record<string, unknown>) => void lines.push([message, fields]) };
    s3Mock.on(GetObjectCommand, { Key: 'models/champion.json' }).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const handler = createApiLambdaHandler({ ...env, [API_ENV.environment]: 'dev' }, { s3, runtime, dynamo, logger });
    const res = await handler(event('POST', '/v1/classify', { emails: [{ body: 'x' }] }, { authorization: `Bearer ${token}` }), context);
    expect(res.statusCode).toBe(503);
    expect(lines[0]).toEqual(['app not ready', expect.objectContaining({ environment: 'dev' })]);
  });

  it('answers 401 without a token (the authorizer would have stopped it earlier)', async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const res = await handler(event('POST', '/v1/classify', { emails: [{ body: 'x' }] }), context);
    expect(res.statusCode).toBe(401);
  });

  it("limits the body as the stack says (MAILROUTE_MAX_BODY_BYTES, up to 4 MiB), and its 413 names that key, not serve's flag", async () => {
    const big = { emails: [{ id: 'crm-big', body: 'a'.repeat(1_200_000) }] };
    const headers = { authorization: `Bearer ${token}`, 'content-length': String(JSON.stringify(big).length) };
    const byDefault = await createApiLambdaHandler(env, { s3, runtime, dynamo })(event('POST', '/v1/classify', big, headers), context);
    expect(byDefault.statusCode).toBe(413);
    const detail = (JSON.parse(byDefault.body) as { detail: string }).detail;
    expect(detail).toContain('over the limit of 1048576 bytes (1 MB)');
    expect(detail).toContain("raise the limit with the stack config key mailroute:api.maxBodyBytes (the API Lambda's MAILROUTE_MAX_BODY_BYTES) up to 4 MB");
    expect(detail).not.toContain('--max-body-bytes');
    const raised = await createApiLambdaHandler({ ...env, [API_ENV.maxBodyBytes]: String(2 * 1024 * 1024) }, { s3, runtime, dynamo })(event('POST', '/v1/classify', big, headers), context);
    expect(raised.statusCode).toBe(200);
    // Over what Lambda's 6 MB payload holds after base64: the first request fails with a config error.
    expect(() => apiConfigFromEnv({ ...env, [API_ENV.maxBodyBytes]: String(4 * 1024 * 1024 + 1) })).toThrow(/MAILROUTE_MAX_BODY_BYTES/);
    expect(apiConfigFromEnv({ ...env, [API_ENV.maxBodyBytes]: String(4 * 1024 * 1024) }).maxBodyBytes).toBe(4 * 1024 * 1024);
  });

  it('grants each client the scopes its token carries where the stack maps them (MAILROUTE_TOKEN_SCOPES): a classify-only client classifies, its feedback is refused', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    ddbMock.on(PutCommand).resolves({} as Out);
    const scoped = { ...env, [API_ENV.tokenScopes]: JSON.stringify({ classify: 'mailroute/classify', feedback: 'mailroute/feedback' }) };
    const handler = createApiLambdaHandler(scoped, { s3, runtime, dynamo });
    /** A token of `client` carrying `scope`, and the context API Gateway's JWT authorizer passes with it (payload 2.0). */
    const authorized = (client: string, scope: string) => {
      const jwt = `e30.${Buffer.from(JSON.stringify({ client_id: client, scope })).toString('base64url')}.sig`;
      return { headers: { authorization: `Bearer ${jwt}` }, authorizer: { jwt: { claims: { client_id: client, scope }, scopes: null } } };
    };
    const classifier = authorized('crm-classify', 'mailroute/classify');
    const classified = await handler(gatewayEvent('POST', '/v1/classify', { emails: [{ id: 'crm-1', body: 'Bitte entsperren.' }] }, classifier), context);
    expect(classified.statusCode).toBe(200);
    const feedback = { emailId: 'crm-1', labels: { queue: 'cards' }, closedAt: new Date().toISOString() };
    const refused = await handler(gatewayEvent('POST', '/v1/feedback', feedback, classifier), context);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      detail: expect.stringMatching(/^The access token of client "crm-classify" lacks the OAuth scope "mailroute\/feedback", which grants the "feedback" scope this route needs \(it grants classify only\): .*request it with the token/),
    });
    // A reporting client with the feedback scope reads /v1/quality and may not classify.
    const reporting = authorized('reporting', 'openid mailroute/feedback');
    expect((await handler(gatewayEvent('GET', '/v1/quality', undefined, reporting), context)).statusCode).toBe(200);
    expect((await handler(gatewayEvent('POST', '/v1/classify', { emails: [{ body: 'x' }] }, reporting), context)).statusCode).toBe(403);
    expect((await handler(gatewayEvent('POST', '/v1/feedback', feedback, reporting), context)).statusCode).toBe(202);
    // Its /openapi.json says which OAuth scope grants what; without the mapping, that every client gets everything.
    const scheme = async (h: typeof handler) => JSON.parse((await h(gatewayEvent('GET', '/openapi.json', undefined, { ...reporting, routeKey: 'GET /openapi.json' }), context)).body).components.securitySchemes.accessToken.description as string;
    expect(await scheme(handler)).toMatch(/"mailroute\/classify" for POST \/v1\/classify and POST \/v1\/classify\/eml, "mailroute\/feedback" for POST \/v1\/feedback and GET \/v1\/quality/);
    expect(await scheme(createApiLambdaHandler(env, { s3, runtime, dynamo }))).toMatch(/Every client on the allow-list may use every operation listed here/);
  });

  it('fails the first request with a config error when the environment is incomplete', async () => {
    expect(() => apiConfigFromEnv({})).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID' }));
    const handler = createApiLambdaHandler({}, { s3, runtime, dynamo });
    await expect(handler(event('GET', '/v1/model'), context)).rejects.toMatchObject({ code: 'AWS_CONFIG_INVALID' });
  });
});

describe("the API Lambda's SDK clients", () => {
  it('limit each attempt of a call (the SDK sets no limit: a hung endpoint held the invocation until Lambda ended it)', async () => {
    const previous = process.env.AWS_REGION;
    process.env.AWS_REGION ??= 'eu-central-1';
    try {
      const deps = defaultAwsServingDeps();
      const configOf = (client: { config: { requestHandler: unknown } }) => (client.config.requestHandler as { configProvider: Promise<{ requestTimeout?: number; connectionTimeout?: number }> }).configProvider;
      expect(await configOf(deps.runtime)).toMatchObject(SDK_TIMEOUTS.sagemaker);
      expect(await configOf(deps.s3)).toMatchObject(SDK_TIMEOUTS.s3);
      // The document client sends through the DynamoDB client it wraps.
      expect(await configOf((deps.dynamo as unknown as { config: { requestHandler: unknown } }))).toMatchObject(SDK_TIMEOUTS.dynamodb);
      // One attempt of the endpoint call ends well inside the request timeout (at most 29 s), so the SDK can retry it.
      expect(SDK_TIMEOUTS.sagemaker.requestTimeout).toBeLessThan(lambdaRequestTimeoutMs(29));
    } finally {
      if (previous === undefined) delete process.env.AWS_REGION;
    }
  });
});
