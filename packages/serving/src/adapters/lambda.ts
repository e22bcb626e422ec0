import { handle, type LambdaEvent, type LambdaContext, type APIGatewayProxyResult } from 'hono/aws-lambda';
import type { ServingApp } from '../app.js';

export type LambdaHandler = (event: LambdaEvent, context: LambdaContext) => Promise<APIGatewayProxyResult>;

/**
 * An HTTP API with a named stage (not `$default`) puts the stage in front of the path (`/prod/v1/classify`);
 * the app's routes are the same at every stage, so the prefix is taken off.
 */
function withoutStagePrefix(event: LambdaEvent): LambdaEvent {
  const e = event as { rawPath?: unknown; requestContext?: { stage?: unknown } };
  const stage = e.requestContext?.stage;
  if (typeof e.rawPath !== 'string' || typeof stage !== 'string' || stage === '$default' || stage === '') return event;
  const prefix = `/${stage}`;
  if (e.rawPath !== prefix && !e.rawPath.startsWith(`${prefix}/`)) return event;
  return { ...event, rawPath: e.rawPath.slice(prefix.length) || '/' } as LambdaEvent;
}

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
    return (await ready)(withoutStagePrefix(event), context);
  };
}
