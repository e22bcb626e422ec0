import { describe, expect, it } from 'vitest';
import { parseStackConfig } from '../config.js';
import { T } from '../policies/graph.js';
import { API_LAMBDA_ENV } from '../lambda-env.js';
import { createProgram } from '../stack.js';
import { loadStackConfigFile, runMocked } from '../testing/pulumi-harness.js';

/** The API Lambda's environment variables when the dev stack's `mailroute:api` has `extra` besides its own keys. */
async function apiLambdaEnv(extra: Record<string, unknown>): Promise<Record<string, string>> {
  const dev = loadStackConfigFile('dev');
  const config = parseStackConfig({ ...dev, api: { ...dev.api, ...extra } }, 'dev');
  const { graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs);
  const fn = graph.find((r) => r.type === T.lambda && r.name === 'api-handler-function');
  return (fn?.inputs as { environment: { variables: Record<string, string> } }).environment.variables;
}

describe('PublicApi per-client scopes (mailroute:api.scopes)', () => {
  it("passes the mapping to the API Lambda as JSON in MAILROUTE_TOKEN_SCOPES when set, and nothing when unset", async () => {
    const scopes = { classify: 'mailroute/classify', feedback: 'mailroute/feedback' };
    const scoped = await apiLambdaEnv({ scopes });
    expect(API_LAMBDA_ENV.tokenScopes).toBe('MAILROUTE_TOKEN_SCOPES');
    expect(JSON.parse(scoped[API_LAMBDA_ENV.tokenScopes])).toEqual(scopes);
    // Unset (as in both committed stacks): no variable, so the Lambda grants every allow-listed client both scopes.
    const unscoped = await apiLambdaEnv({});
    expect(unscoped).not.toHaveProperty(API_LAMBDA_ENV.tokenScopes);
    expect(unscoped[API_LAMBDA_ENV.endpointName]).toBe('mailroute-dev-classifier');
  }, 120_000);
});

describe('PublicApi access log', () => {
  it("is JSON of $context variables only, with API Gateway's requestId (what the API Lambda logs when the caller sends no id)", async () => {
    const config = parseStackConfig(loadStackConfigFile('dev'), 'dev');
    const { graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs);
    const stage = graph.find((r) => r.type === T.stage);
    const format = JSON.parse((stage?.inputs as { accessLogSettings: { format: string } }).accessLogSettings.format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    // An HTTP API's access log takes $context variables alone: a request header ($request.header.x-request-id) is not one.
    for (const [field, variable] of Object.entries(format)) expect(variable, field).toMatch(/^\$context\.[A-Za-z_.]+$/);
  }, 120_000);
});

describe('PublicApi reserved concurrency (mailroute:serving.lambdaReservedConcurrency)', () => {
  it('reserves what the stack sets for the API Lambda, and none when unset', async () => {
    const dev = loadStackConfigFile('dev');
    const config = parseStackConfig({ ...dev, serving: { ...dev.serving, lambdaReservedConcurrency: 40 } }, 'dev');
    const { graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/mailroute/dist' }, rootOpts).outputs);
    const fn = (name: string) => graph.find((r) => r.type === T.lambda && r.name === name)?.inputs as { reservedConcurrentExecutions?: number };
    expect(fn('api-handler-function').reservedConcurrentExecutions).toBe(40);
    // The deployer keeps its one; the others reserve none.
    expect(fn('deploy-on-approval-deployer-function').reservedConcurrentExecutions).toBe(1);
    expect(fn('quality-reporter-function').reservedConcurrentExecutions).toBeUndefined();
  }, 120_000);
});
