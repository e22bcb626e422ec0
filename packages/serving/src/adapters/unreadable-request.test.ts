import { afterAll, describe, expect, it } from 'vitest';
import { overHttp, throughLambda, type RawRequest } from '../test-support/front-doors.js';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { createLambdaHandler } from './lambda.js';
import { startNodeServer } from './node-server.js';

const serving = await buildTestApp();
const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
const handler = createLambdaHandler(serving);
afterAll(() => server.close());

const get = (path: string, headers: Array<[string, string]> = []): RawRequest => ({ method: 'GET', path, query: '', headers: [['Authorization', `Bearer ${KEYS.all}`], ...headers], body: new Uint8Array() });

describe('a request that cannot be made into a URL', () => {
  it('is a 400 problem on the Node server (not its adapter bare empty 400), and on the Lambda alike', async () => {
    for (const answer of [await overHttp(server.port, get('/v1\\model')), await throughLambda(handler, get('/v1\\model'))]) {
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringMatching(/^The request cannot be read \(Backslash in request path\)/) });
    }
  });

  it('is a 400 problem on the Node server for a Host header that is no host name', async () => {
    const answer = await overHttp(server.port, get('/v1/model', [['Host', 'a b']]));
    expect(answer.status).toBe(400);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringMatching(/^The request cannot be read/) });
  });
});
