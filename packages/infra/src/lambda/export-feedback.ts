// Entry of the feedback-export Lambda bundle (dist/export-feedback/index.mjs): the retraining pipeline's ExportFeedback
// step, where the stack keeps the emails' text: the confirmed cases of the table -> a file beside the CRM's exports.
import { createFeedbackExportHandlerFromEnv } from '@mailroute/aws';
import { jsonLogger } from './json-logger.js';

const exportFeedback = createFeedbackExportHandlerFromEnv(process.env);

export const handler = async (event: unknown) => {
  const result = await exportFeedback(event);
  jsonLogger.info('feedback export finished', { ...result });
  return result;
};
