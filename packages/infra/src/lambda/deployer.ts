// Entry of the deployer Lambda bundle (dist/deployer/index.mjs): approved model package -> endpoint update.
import { createDeployerHandlerFromEnv } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

const deploy = createDeployerHandlerFromEnv(process.env);

export const handler = async (event: unknown, context?: { getRemainingTimeInMillis(): number }) => {
  const result = await deploy(event, context);
  // A late event skipped (its version would have replaced a later approval's): WARN, so a log query or metric filter finds it.
  if (!result.deployed && result.staleEvent) jsonLogger.warn('deployer skipped a stale event', { ...result });
  else jsonLogger.info('deployer finished', { ...result });
  return result;
};
