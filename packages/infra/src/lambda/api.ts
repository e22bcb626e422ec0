// Entry of the API Lambda bundle (dist/api/index.mjs): serving's Hono app with the AWS adapters.
import { createApiLambdaHandler, defaultAwsServingDeps } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

export const handler = createApiLambdaHandler(process.env, defaultAwsServingDeps(jsonLogger));
