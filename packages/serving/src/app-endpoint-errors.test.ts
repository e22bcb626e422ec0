import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { AccessDenied, EndpointUnavailable, failingWith, NotInService } from './test-support/endpoint-errors.js';
import { authed, json, jsonRequest, testAppBuilder } from './test-support/harness.js';
import { createSqliteStore } from './store/sqlite-store.js';

const build = testAppBuilder();

/** A store failure whose reason tells it apart in the log only (the DynamoDB store's STORE_RECORD_INVALID). */
class RecordInvalid extends StoreError {
  readonly reason = 'STORE_RECORD_INVALID';
}

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const ACCOUNT_ARN = 'arn:aws:sts::111111111111:assumed-role/mailroute-dev-api/fn';
const email = { id: 'crm-1', body: 'Bitte den Kontostand von Erika Musterfrau senden.' };

describe('endpoint failures through the app', () => {
  it('answers an endpoint the API may not invoke with 500 ENDPOINT_ACCESS_DENIED, and logs it at error level with its cause', async () => {
    const { lines, logger } = recordingLogger();
    const cause = new Error(`User: ${ACCOUNT_ARN} is not authorized to perform: sagemaker:InvokeEndpoint`);
    cause.name = 'AccessDeniedException';
    const denied = new AccessDenied('The API may not call the model endpoint mailroute-dev: its IAM role lacks sagemaker:InvokeEndpoint on it.', { endpoint: 'mailroute-dev', permission: 'sagemaker:InvokeEndpoint' }, { cause });
    const { app } = await build({ classifier: failingWith(denied), logger });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [email] }));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBeNull();
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      type: 'urn:mailroute:problem:endpoint-access-denied',
      title: 'Internal Server Error',
      status: 500,
      code: 'ENDPOINT_ACCESS_DENIED',
      detail: denied.message,
      endpoint: 'mailroute-dev',
      permission: 'sagemaker:InvokeEndpoint',
    });
    // No stack, no email text, no account in the answer: the SDK's message is the log's.
    expect(text).not.toMatch(/Musterfrau|Kontostand|111111111111|assumed-role|\bat .*\.[jt]s/);
    expect(lines).toEqual([
      [
        'error',
        'request failed',
        {
          requestId: res.headers.get('x-request-id'),
          method: 'POST',
          route: '/v1/classify',
          status: 500,
          code: 'ENDPOINT_ACCESS_DENIED',
          error: `AccessDenied: ${denied.message}`,
          cause: `AccessDeniedException: User: ${ACCOUNT_ARN} is not authorized to perform: sagemaker:InvokeEndpoint`,
        },
      ],
    ]);
  });

  it('answers an endpoint not in service with 503 ENDPOINT_NOT_IN_SERVICE and Retry-After 30, logged as a refusal (rate-limited) with its code', async () => {
    const { lines, logger } = recordingLogger();
    const missing = new NotInService('The model endpoint mailroute-dev is not found or not in service.', { endpoint: 'mailroute-dev' }, { cause: new Error('Endpoint mailroute-dev of account 111111111111 not found.') });
    const { app } = await build({ classifier: failingWith(missing), logger });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [email] }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    const body = await json(res);
    expect(body).toMatchObject({ type: 'urn:mailroute:problem:endpoint-not-in-service', status: 503, code: 'ENDPOINT_NOT_IN_SERVICE', endpoint: 'mailroute-dev' });
    expect(JSON.stringify(body)).not.toMatch(/111111111111|Musterfrau/);
    expect(lines).toEqual([['warn', 'request refused', expect.objectContaining({ status: 503, code: 'ENDPOINT_NOT_IN_SERVICE', route: '/v1/classify', keyId: 'all' })]]);
  });

  it("names a refusal's reason in its log line (a throttled endpoint), and a store failure's reason in its error line", async () => {
    const { lines, logger } = recordingLogger();
    const throttled = new EndpointUnavailable('The model endpoint is throttling requests (ThrottlingException); retry shortly.', { reason: 'ENDPOINT_THROTTLED' });
    const store = createSqliteStore({ file: ':memory:' });
    const failing = { ...store, listPairs: async () => Promise.reject(new RecordInvalid('A stored item is not a prediction record.')) };
    const { app } = await build({ classifier: failingWith(throttled), store: failing, logger });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [email] }));
    expect([res.status, (await json(res)).reason]).toEqual([503, 'ENDPOINT_THROTTLED']);
    const quality = await app.request('/v1/quality', authed());
    expect(quality.status).toBe(500);
    // The answer keeps the store's reason to itself; the log has it.
    expect(await json(quality)).not.toHaveProperty('reason');
    expect(lines).toEqual([
      ['warn', 'request refused', expect.objectContaining({ code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_THROTTLED' })],
      ['error', 'request failed', expect.objectContaining({ code: 'STORE_FAILED', reason: 'STORE_RECORD_INVALID', error: 'RecordInvalid: A stored item is not a prediction record.' })],
    ]);
  });

  it("lists the endpoint codes in the OpenAPI document's Problem.code", async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(expect.arrayContaining(['ENDPOINT_UNAVAILABLE', 'ENDPOINT_NOT_IN_SERVICE', 'ENDPOINT_ACCESS_DENIED', 'PREDICTIONS_NOT_KEPT']));
  });
});
