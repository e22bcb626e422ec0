import { handle, type LambdaEvent, type LambdaContext, type APIGatewayProxyResult } from 'hono/aws-lambda';
import type { ServingApp } from '../app.js';

export type LambdaHandler = (event: LambdaEvent, context: LambdaContext) => Promise<APIGatewayProxyResult>;

/**
 * The AWS Lambda entry (API Gateway HTTP API, payload v2). The app is built once per container, on the
 * first event, so the model loads during the first invocation and stays warm after it.
 */
export function createLambdaHandler(serving: ServingApp | (() => Promise<ServingApp>)): LambdaHandler {
  let ready: Promise<LambdaHandler> | undefined;
  const build = async (): Promise<LambdaHandler> => {
    const app = typeof serving === 'function' ? await serving() : serving;
    return handle(app.app) as LambdaHandler;
  };
  return async (event, context) => {
    ready ??= build().catch((error: unknown) => {
      ready = undefined; // the next event tries again
      throw error;
    });
    return (await ready)(event, context);
  };
}
