import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand, SageMakerRuntimeClient, SageMakerRuntimeServiceException, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LambdaHandler } from '@mailroute/serving';
import { strictMismatches, type JsonSchema } from '@mailroute/serving/testing';
import { API_ENV } from '../contracts.js';
import { isGatewayRoute } from './api-document.js';
import { createApiLambdaHandler } from './api-handler.js';
import { crmToken, gatewayEvent, lambdaContext, s3Body } from '../test-support/gateway-event.js';

type Out = never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document's shape is asserted by expect()
type Loose = any;

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const s3 = new S3Client({ region: 'eu-central-1', credentials });
const runtime = new SageMakerRuntimeClient({ region: 'eu-central-1', credentials });
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials }));
const s3Mock = mockClient(s3);
const smMock = mockClient(runtime);
const ddbMock = mockClient(dynamo);

const env = {
  [API_ENV.endpointName]: 'mailroute-dev-classifier',
  [API_ENV.tableName]: 'mailroute-dev-predictions',
  [API_ENV.artifactBucket]: 'mailroute-dev-artifacts',
  [API_ENV.modelsPrefix]: 'models/',
};
const body = s3Body;
const context = lambdaContext;
/** The event for a request its route `routeKey` took, with the CRM's token, as the JWT authorizer passed it. */
const event = (routeKey: string, method: string, rawPath: string, payload?: unknown) =>
  gatewayEvent(method, rawPath, payload, { routeKey, headers: { authorization: `Bearer ${crmToken}` }, authorizer: { jwt: { claims: { client_id: 'crm-dev-client' }, scopes: null } } });
const getDocument = async (handler: LambdaHandler): Promise<Loose> => {
  const res = await handler(event('GET /openapi.json', 'GET', '/openapi.json'), context);
  expect(res.statusCode).toBe(200);
  return JSON.parse(res.body);
};
const classify = (handler: LambdaHandler) => handler(event('ANY /v1/{proxy+}', 'POST', '/v1/classify', { emails: [{ id: 'crm-1', body: 'Karte gesperrt' }] }), context);

/** A failure of InvokeEndpoint as the SDK throws it. */
function sdkError(name: string, message: string, more: Record<string, unknown> = {}) {
  return Object.assign(new SageMakerRuntimeServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message }), more);
}

describe("the API Lambda's /openapi.json", () => {
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
        tasks: { queue: { label: 'payments', confidence: 0.9, top: [{ label: 'payments', score: 0.9 }], abstained: false } },
        route: { queue: 'payments', reason: 'confident' },
      }));
      return { Body: new TextEncoder().encode(JSON.stringify({ modelId: 'ngram-bag-1', predictions })) } as Out;
    });
    ddbMock.on(QueryCommand).resolves({ Items: [] } as Out);
    ddbMock.on(TransactWriteCommand).resolves({} as Out);
  });

  it('lists only the operations API Gateway routes to the function, never admin', async () => {
    const doc = await getDocument(createApiLambdaHandler(env, { s3, runtime, dynamo }));
    const operations = Object.entries<Loose>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(['GET /openapi.json', 'GET /v1/model', 'GET /v1/quality', 'POST /v1/classify', 'POST /v1/classify/eml', 'POST /v1/feedback']);
    for (const operation of operations) expect(isGatewayRoute(...(operation.split(' ') as [string, string])), operation).toBe(true);
    for (const unreachable of ['/healthz', '/readyz', '/ping', '/metrics', '/docs', '/invocations']) expect(isGatewayRoute('GET', unreachable), unreachable).toBe(false);
    // Every reference resolves; the schemas of operations left out go with them.
    for (const ref of new Set<string>(JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [])) expect(doc.components.schemas[ref.split('/').pop() as string], ref).toBeDefined();
    expect(Object.keys(doc.components.schemas)).not.toContain('ReloadResult');
  });

  it('asks for the JWT access token API Gateway checks, on every operation, and no API key', async () => {
    const doc = await getDocument(createApiLambdaHandler(env, { s3, runtime, dynamo }));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['accessToken']);
    const scheme = doc.components.securitySchemes.accessToken;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(scheme.description).toMatch(/OAuth 2\.0 access token.*mailroute:api\.issuer.*client-credentials grant.*mailroute:api\.allowedClientIds/);
    expect(scheme.description).not.toMatch(/API key/i);
    expect(doc.security).toEqual([{ accessToken: [] }]);
    for (const [path, item] of Object.entries<Loose>(doc.paths)) for (const op of Object.values<Loose>(item)) expect(op.security, path).toEqual([{ accessToken: [] }]);
  });

  it("says that API Gateway's own 401, 404, 413 and 429 come as {\"message\": ...} JSON, and documents that body", async () => {
    const doc = await getDocument(createApiLambdaHandler(env, { s3, runtime, dynamo }));
    expect(doc.info.description).toMatch(/API Gateway answers some requests itself.*`\{"message": "\.\.\."\}` as application\/json, not application\/problem\+json: 401.*404.*413.*429/);
    expect(doc.components.schemas.GatewayMessage).toMatchObject({ type: 'object', required: ['message'] });
    const gateway = { $ref: '#/components/schemas/GatewayMessage' };
    for (const [path, item] of Object.entries<Loose>(doc.paths)) {
      for (const op of Object.values<Loose>(item)) {
        for (const status of ['401', '429', 'default']) expect(op.responses[status].content['application/json']?.schema, `${path} ${status}`).toEqual(gateway);
      }
    }
    // Where the API answers a status too, both bodies are documented.
    expect(Object.keys(doc.paths['/v1/classify'].post.responses['413'].content).sort()).toEqual(['application/json', 'application/problem+json']);
  });

  it("answers its problems, the endpoint's members included, as its own document's Problem allows, with no other member", async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const problemSchema = (await getDocument(handler)).components.schemas.Problem as JsonSchema;
    expect((await classify(handler)).statusCode).toBe(200);
    const failures = [
      sdkError('AccessDeniedException', 'User: arn:aws:sts::111111111111:assumed-role/api/fn is not authorized to perform: sagemaker:InvokeEndpoint on resource: endpoint/mailroute-dev-classifier'),
      new ValidationError({ $metadata: { httpStatusCode: 400 }, message: 'Endpoint mailroute-dev-classifier of account 111111111111 not found.' }),
      sdkError('ModelError', 'Received client error (429)', { OriginalStatusCode: 429 }),
      sdkError('ModelError', 'Received server error (503)', { OriginalStatusCode: 503 }),
      sdkError('ModelError', 'Received server error (500)', { OriginalStatusCode: 500 }),
    ];
    const problems: Array<Record<string, unknown>> = [];
    for (const failure of failures) {
      smMock.on(InvokeEndpointCommand).rejects(failure);
      problems.push(JSON.parse((await classify(handler)).body));
    }
    const feedback = (labels: unknown) => handler(event('ANY /v1/{proxy+}', 'POST', '/v1/feedback', { emailId: 'crm-1', labels, closedAt: new Date().toISOString() }), context);
    problems.push(JSON.parse((await feedback({})).body), JSON.parse((await feedback({ queue: 'tax' })).body));
    expect(problems.map((p) => [p.code, p.reason])).toEqual([
      ['ENDPOINT_ACCESS_DENIED', undefined],
      ['ENDPOINT_NOT_IN_SERVICE', undefined],
      ['ENDPOINT_UNAVAILABLE', 'ENDPOINT_THROTTLED'],
      ['ENDPOINT_UNAVAILABLE', 'ENDPOINT_BUSY'],
      ['ENDPOINT_FAILED', undefined],
      ['REQUEST_INVALID', undefined],
      ['LABEL_NOT_IN_TAXONOMY', undefined],
    ]);
    for (const problem of problems) expect(strictMismatches(problem, problemSchema), JSON.stringify(problem)).toEqual([]);
  });

  it("takes its documented closedAt example: a time of the day before, not a date the feedback TTL will pass", async () => {
    const handler = createApiLambdaHandler(env, { s3, runtime, dynamo });
    const { FeedbackRequest } = (await getDocument(handler)).components.schemas;
    for (const closedAt of [FeedbackRequest.properties.closedAt.example, FeedbackRequest.example.closedAt]) {
      expect(Date.now() - Date.parse(closedAt), closedAt).toBeLessThan(2 * 86_400_000);
      const res = await handler(event('ANY /v1/{proxy+}', 'POST', '/v1/feedback', { emailId: 'crm-4711', labels: { queue: 'cards' }, closedAt }), context);
      expect(res.statusCode, `${closedAt}: ${res.body}`).toBe(202);
    }
  });
});
