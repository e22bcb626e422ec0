// Entry of the quality reporter bundle (dist/quality/index.mjs): EMF lines on stdout become metrics.
import { createQualityReporterHandlerFromEnv } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

const report = createQualityReporterHandlerFromEnv(process.env, (line) => process.stdout.write(`${line}\n`));

export const handler = async () => {
  const result = await report();
  jsonLogger.info('quality report written', { ...result });
  return result;
};
