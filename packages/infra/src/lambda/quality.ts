// Entry of the quality reporter bundle (dist/quality/index.mjs): EMF lines on stdout become metrics.
import { createQualityReporterHandlerFromEnv, defaultAwsServingDeps } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

// The logger gets the store's warnings (a judged-only read the judged-by-day index does not cover yet).
const report = createQualityReporterHandlerFromEnv(process.env, (line) => process.stdout.write(`${line}\n`), defaultAwsServingDeps(jsonLogger));

export const handler = async () => {
  const result = await report();
  jsonLogger.info('quality report written', { ...result });
  return result;
};
