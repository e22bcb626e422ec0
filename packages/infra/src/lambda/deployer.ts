// Entry of the deployer Lambda bundle (dist/deployer/index.mjs): approved model package -> endpoint update.
import { createDeployerHandlerFromEnv } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

const deploy = createDeployerHandlerFromEnv(process.env);

export const handler = async (event: unknown) => {
  const result = await deploy(event);
  jsonLogger.info('deployer finished', { ...result });
  return result;
};
