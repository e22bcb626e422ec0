import { z } from 'zod';
import { EvaluationReportSchema } from './evaluate.js';
import { PredictionLineSchema } from './prediction-line.js';

/** JSON Schema of `metrics.json`, for readers outside TypeScript. */
export function evaluationReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(EvaluationReportSchema, { io: 'output' }) as Record<string, unknown>;
}

/** JSON Schema of one predictions JSONL line, for writers outside TypeScript (e.g. a Python job). */
export function predictionLineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PredictionLineSchema, { io: 'input' }) as Record<string, unknown>;
}
