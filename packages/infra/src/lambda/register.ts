// Entry of the register Lambda bundle (dist/register/index.mjs): the retraining pipeline's Register step, a
// training job's artifact -> models/<id>/ and a PendingManualApproval model package.
import { createRegisterHandlerFromEnv } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

const register = createRegisterHandlerFromEnv(process.env);

export const handler = async (event: unknown) => {
  const result = await register(event);
  jsonLogger.info('register finished', { ...result });
  return result;
};
