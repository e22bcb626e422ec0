import { Readable } from 'node:stream';
import { describe, it, expect, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  InternalFailure,
  InvokeEndpointCommand,
  ModelError,
  ModelNotReadyException,
  SageMakerRuntimeClient,
  SageMakerRuntimeServiceException,
  ServiceUnavailable,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import type { EmailPrediction } from '@mailroute/model';
import { toProblem } from '@mailroute/serving';
import { EndpointResponseError } from './errors.js';
import { endpointError, SageMakerEndpointClassifier, parseInvocationsBody } from './sagemaker-endpoint-classifier.js';

const client = new SageMakerRuntimeClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sm = mockClient(client);

function prediction(id: string, modelId = 'ngram-bag-1'): EmailPrediction {
  return {
    id,
    modelId,
    tasks: { queue: { label: 'payments', confidence: 0.91, top: [{ label: 'payments', score: 0.91 }], abstained: false } },
    route: { queue: 'payments', reason: 'confident' },
  };
}

function encodeBody(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

type InvokeOutput = never;

describe('SageMakerEndpointClassifier', () => {
  beforeEach(() => sm.reset());

  it('reads the tasks of each model that answers once, though a canary alternates between two', async () => {
    let call = 0;
    sm.on(InvokeEndpointCommand).callsFake(() => {
      const modelId = call++ % 2 === 0 ? 'ngram-bag-8' : 'ngram-bag-7';
      return { Body: encodeBody({ modelId, predictions: [prediction('a', modelId)] }) } as unknown as InvokeOutput;
    });
    const asked: string[] = [];
    const classifier = new SageMakerEndpointClassifier({
      client,
      endpointName: 'mailroute-dev',
      modelId: 'ngram-bag-7',
      tasks: [{ name: 'queue', labels: ['payments'] }],
      tasksOf: async (id) => {
        asked.push(id);
        return [{ name: 'queue', labels: id === 'ngram-bag-8' ? ['payments', 'cards'] : ['payments'] }];
      },
    });
    for (let i = 0; i < 6; i++) {
      await classifier.predict([{ id: 'a', body: 'Hallo' }]);
      expect(classifier.tasks[0].labels).toEqual(classifier.modelId === 'ngram-bag-8' ? ['payments', 'cards'] : ['payments']);
    }
    expect(asked).toEqual(['ngram-bag-8']); // ngram-bag-7's came with the classifier
  });

  it('says how each model routes by its id (routingFor), whichever answered last', () => {
    const routing = (queue: string) => ({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: {}, automatedQueues: { auto_reply: queue } });
    const classifier = new SageMakerEndpointClassifier({
      client,
      endpointName: 'mailroute-dev',
      modelId: 'ngram-bag-7',
      tasks: [{ name: 'queue', labels: ['payments'] }],
      routingOf: (id) => (id === 'ngram-bag-8' ? routing('auto_8') : id === 'ngram-bag-7' ? routing('auto_7') : undefined),
    });
    expect(classifier.routingFor('ngram-bag-8')?.automatedQueues).toEqual({ auto_reply: 'auto_8' });
    expect(classifier.routingFor('ngram-bag-7')?.automatedQueues).toEqual({ auto_reply: 'auto_7' });
    expect(classifier.routing?.automatedQueues).toEqual({ auto_reply: 'auto_7' });
    expect(classifier.routingFor('other')).toBeUndefined();
  });

  it('sends { emails } as JSON and returns the results in order', async () => {
    sm.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id: string }[] };
      return { Body: encodeBody({ modelId: 'ngram-bag-7', predictions: sent.emails.map((e) => ({ ...prediction(e.id, 'ngram-bag-7'), predictionId: `c-${e.id}` })) }) } as unknown as InvokeOutput;
    });
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'mailroute-dev', tasks: [{ name: 'queue', labels: ['payments'] }] });
    const out = await classifier.predict([{ id: 'a', body: 'Hallo' }, { id: 'b', body: 'Guten Tag' }]);
    expect(out.map((p) => p.id)).toEqual(['a', 'b']);
    expect(out[0]).not.toHaveProperty('predictionId');
    expect(classifier.modelId).toBe('ngram-bag-7');
    const call = sm.commandCalls(InvokeEndpointCommand)[0].args[0].input;
    expect(call.EndpointName).toBe('mailroute-dev');
    expect(call.ContentType).toBe('application/json');
  });

  it('sends receivedAt in ISO 8601 UTC, the form endpoint images built before the API took more forms accept', async () => {
    sm.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id: string }[] };
      return { Body: encodeBody({ modelId: 'ngram-bag-7', predictions: sent.emails.map((e) => prediction(e.id, 'ngram-bag-7')) }) } as unknown as InvokeOutput;
    });
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'mailroute-dev', tasks: [{ name: 'queue', labels: ['payments'] }] });
    await classifier.predict([
      { id: 'a', body: 'Hallo', receivedAt: 'Mon, 3 Nov 2025 10:15:00 +0100' },
      { id: 'b', body: 'Hallo', receivedAt: '2025-11-03T10:15:00' },
      { id: 'c', body: 'Hallo' },
    ]);
    const sent = JSON.parse(new TextDecoder().decode(sm.commandCalls(InvokeEndpointCommand)[0].args[0].input.Body as Uint8Array)) as { emails: { receivedAt?: string }[] };
    expect(sent.emails.map((e) => e.receivedAt)).toEqual(['2025-11-03T09:15:00.000Z', '2025-11-03T10:15:00.000Z', undefined]);
  });

  it('splits large batches into several calls', async () => {
    sm.on(InvokeEndpointCommand).callsFake((input) => {
      const sent = JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as { emails: { id: string }[] };
      return { Body: encodeBody({ modelId: 'ngram-bag-1', predictions: sent.emails.map((e) => prediction(e.id)) }) } as unknown as InvokeOutput;
    });
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'e', tasks: [], maxBatch: 2 });
    const emails = ['1', '2', '3', '4', '5'].map((id) => ({ id, body: 'x' }));
    const out = await classifier.predict(emails);
    expect(out.map((p) => p.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(sm.commandCalls(InvokeEndpointCommand)).toHaveLength(3);
  });

  it('wraps SDK failures in a coded error', async () => {
    sm.on(InvokeEndpointCommand).rejects(new Error('ModelError'));
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'e', tasks: [] });
    await expect(classifier.predict([{ body: 'x' }])).rejects.toMatchObject({ code: 'SAGEMAKER_INVOKE_FAILED' });
  });

  it('maps endpoint failures to what a client can act on: retry later (503), the model failed (502), a fault here (500)', () => {
    const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });
    for (const cause of [named('ThrottlingException'), named('ServiceUnavailable'), named('InternalFailure'), named('InternalStreamFailure'), named('ModelError', { OriginalStatusCode: 503 }), named('ModelError', { OriginalStatusCode: 429 }), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })]) {
      expect(toProblem(endpointError('ep', cause))).toMatchObject({ body: { status: 503, code: 'ENDPOINT_UNAVAILABLE' }, headers: { 'retry-after': '1' } });
    }
    expect(toProblem(endpointError('ep', named('ModelError', { OriginalStatusCode: 500 }))).body).toMatchObject({ status: 502, code: 'ENDPOINT_FAILED', detail: 'The model container failed the request (500).' });
    expect(toProblem(endpointError('ep', named('ValidationError'))).body).toMatchObject({ status: 500, code: 'INTERNAL' }); // not about the endpoint's state: a request sent wrong here
    expect(toProblem(new EndpointResponseError('endpoint returned an empty body')).body).toMatchObject({ status: 502, code: 'SAGEMAKER_RESPONSE_INVALID' });
  });

  it("answers a 5xx the SDK cannot name (an empty body, a gateway's HTML page) as the endpoint busy, to retry, not as a fault here", async () => {
    // The real client, its answer scripted where the network would be: the SDK reads the status and the body itself.
    const answering = (status: number, body: string, contentType: string) => ({
      handle: async () => ({ response: Object.assign(Object.create(null) as object, { statusCode: status, headers: { 'content-type': contentType }, body: Readable.from([Buffer.from(body)]) }) }),
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    });
    for (const [status, body, type] of [[500, '', 'application/json'], [504, '', 'application/json'], [502, '<html><body>502 Bad Gateway</body></html>', 'text/html']] as const) {
      const real = new SageMakerRuntimeClient({ region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestHandler: answering(status, body, type) as never });
      const classifier = new SageMakerEndpointClassifier({ client: real, endpointName: 'e', tasks: [] });
      const failure = await classifier.predict([{ body: 'x' }]).then(() => undefined, (error: unknown) => error);
      expect(toProblem(failure), `${status} ${type}`).toMatchObject({ body: { status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_BUSY' }, headers: { 'retry-after': '1' } });
    }
  });

  it('answers each InvokeEndpoint failure with a problem a CRM and an operator can tell apart, never quoting the SDK message', async () => {
    const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });
    const account = '111111111111';
    const cases: Array<{ cause: Error; status: number; code: string; reason?: string; retryAfter?: string; detail: RegExp; extra?: Record<string, string> }> = [
      {
        // IAM: the API's role lacks sagemaker:InvokeEndpoint (a generic SDK error: the runtime models no AccessDeniedException)
        cause: new SageMakerRuntimeServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          ...meta(400),
          message: `User: arn:aws:sts::${account}:assumed-role/mailroute-dev-api/fn is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:eu-central-1:${account}:endpoint/mailroute-dev because no identity-based policy allows the sagemaker:InvokeEndpoint action`,
        }),
        status: 500,
        code: 'ENDPOINT_ACCESS_DENIED',
        detail: /mailroute-dev: its IAM role lacks sagemaker:InvokeEndpoint/,
        extra: { endpoint: 'mailroute-dev', permission: 'sagemaker:InvokeEndpoint' },
      },
      { cause: new ValidationError({ ...meta(400), message: `Endpoint mailroute-dev of account ${account} not found.` }), status: 503, code: 'ENDPOINT_NOT_IN_SERVICE', retryAfter: '30', detail: /endpoint mailroute-dev is not found or not in service/, extra: { endpoint: 'mailroute-dev' } },
      { cause: new ValidationError({ ...meta(400), message: 'Endpoint mailroute-dev is not in service.' }), status: 503, code: 'ENDPOINT_NOT_IN_SERVICE', retryAfter: '30', detail: /not in service/, extra: { endpoint: 'mailroute-dev' } },
      { cause: new SageMakerRuntimeServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta(400), message: 'Rate exceeded' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_THROTTLED', retryAfter: '1', detail: /throttling/ },
      { cause: new ServiceUnavailable({ ...meta(503), message: 'Service is unavailable' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_BUSY', retryAfter: '1', detail: /busy or unreachable \(ServiceUnavailable\)/ },
      { cause: new ModelNotReadyException({ ...meta(429), message: 'Model not ready' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_BUSY', retryAfter: '1', detail: /busy/ },
      { cause: new InternalFailure({ ...meta(500), message: 'internal' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_BUSY', retryAfter: '1', detail: /busy/ },
      { cause: new ModelError({ ...meta(424), OriginalStatusCode: 429, message: 'Received client error (429) from primary' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_THROTTLED', retryAfter: '1', detail: /throttling requests \(429\)/ },
      { cause: new ModelError({ ...meta(424), OriginalStatusCode: 503, message: 'Received server error (503) from primary' }), status: 503, code: 'ENDPOINT_UNAVAILABLE', reason: 'ENDPOINT_BUSY', retryAfter: '1', detail: /overloaded \(503\)/ },
      // The container's own message may quote the email: it stays in the cause, for the log.
      { cause: new ModelError({ ...meta(424), OriginalStatusCode: 500, message: 'Received server error (500) from primary with message "Kontostand von Erika Musterfrau"' }), status: 502, code: 'ENDPOINT_FAILED', detail: /^The model container failed the request \(500\)\.$/ },
      // Any other ValidationError is a request sent wrong here: a fault of this code, 500.
      { cause: new ValidationError({ ...meta(400), message: 'Inference Component Name header is required' }), status: 500, code: 'INTERNAL', detail: /^The server failed to handle the request\.$/ },
    ];
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'mailroute-dev', tasks: [] });
    for (const { cause, status, code, reason, retryAfter, detail, extra } of cases) {
      sm.reset();
      sm.on(InvokeEndpointCommand).rejects(cause);
      const error = await classifier.predict([{ id: 'crm-1', body: 'Bitte Kontostand von Erika Musterfrau senden.' }]).then(
        () => undefined,
        (e: unknown) => e,
      );
      const what = `${cause.name} ${cause.message}`;
      expect((error as Error).cause, what).toBe(cause);
      const { body, headers } = toProblem(error);
      expect(body, what).toMatchObject({ status, code, detail: expect.stringMatching(detail), ...extra });
      expect(body.reason, what).toBe(reason);
      expect(headers['retry-after'], what).toBe(retryAfter);
      expect(JSON.stringify(body), what).not.toMatch(new RegExp(`${account}|arn:|Musterfrau|assumed-role`));
    }
  });

  it("refuses an answer that does not fit the emails sent or the answering model's tasks (502), rather than store it", async () => {
    const tasks = [{ name: 'queue', labels: ['payments', 'cards'] }];
    const answer = (p: EmailPrediction[]) => sm.on(InvokeEndpointCommand).resolves({ Body: encodeBody({ modelId: 'ngram-bag-1', predictions: p }) } as unknown as InvokeOutput);
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'e', modelId: 'ngram-bag-1', tasks });
    const good = prediction('a');
    answer([good]);
    await expect(classifier.predict([{ id: 'a', body: 'x' }])).resolves.toHaveLength(1);
    const odd = {
      'another model': { ...good, modelId: 'ngram-bag-9' },
      'another email': { ...good, id: 'b' },
      'a confidence over 1': { ...good, tasks: { queue: { ...good.tasks.queue, confidence: 7.5 } } },
      'a label the model lacks': { ...good, tasks: { queue: { ...good.tasks.queue, label: 'zzz' } } },
      'a task missing': { ...good, tasks: {} },
      'a task the model lacks': { ...good, tasks: { ...good.tasks, urgency: good.tasks.queue } },
    };
    for (const [what, p] of Object.entries(odd)) {
      answer([p]);
      await expect(classifier.predict([{ id: 'a', body: 'x' }]), what).rejects.toMatchObject({ code: 'SAGEMAKER_RESPONSE_INVALID' });
    }
  });

  it('rejects a response with the wrong number of results', async () => {
    sm.on(InvokeEndpointCommand).resolves({ Body: encodeBody({ modelId: 'm', predictions: [] }) } as unknown as InvokeOutput);
    const classifier = new SageMakerEndpointClassifier({ client, endpointName: 'e', tasks: [] });
    await expect(classifier.predict([{ body: 'x' }])).rejects.toMatchObject({ code: 'SAGEMAKER_RESPONSE_INVALID' });
  });
});

describe('parseInvocationsBody', () => {
  it('rejects non-JSON, empty and mis-shaped bodies', () => {
    expect(() => parseInvocationsBody(undefined, 1)).toThrow(/empty/);
    expect(() => parseInvocationsBody(new TextEncoder().encode('<html>'), 1)).toThrow(/not JSON/);
    expect(() => parseInvocationsBody(encodeBody({ results: [] }), 0)).toThrow(/modelId, predictions/);
  });

  it('accepts a well-formed body', () => {
    const parsed = parseInvocationsBody(encodeBody({ modelId: 'm', predictions: [prediction('z')] }), 1);
    expect(parsed.predictions[0].route.queue).toBe('payments');
    expect(parsed.modelId).toBe('m');
  });

  it('reads a route reason or automated kind it does not know (an image newer than the Lambda) as the nearest it knows', () => {
    const base = prediction('z');
    const parsed = parseInvocationsBody(
      encodeBody({
        modelId: 'm',
        predictions: [
          { ...base, route: { queue: 'manual_triage', reason: 'spam' }, automated: 'newsletter' },
          { ...base, route: { queue: 'payments', reason: 'rule' } },
          { ...base, route: { queue: 'manual_triage', reason: 'automated' }, automated: 'auto_reply' },
        ],
      }),
      3,
    );
    expect(parsed.predictions.map((p) => [p.route.reason, p.automated])).toEqual([
      ['low_confidence', undefined],
      ['confident', undefined],
      ['automated', 'auto_reply'],
    ]);
    // Still refused: a route without its fields.
    expect(() => parseInvocationsBody(encodeBody({ modelId: 'm', predictions: [{ ...base, route: { queue: 'x' } }] }), 1)).toThrow(/predictions.0.route.reason/);
  });
});
