import type { Email } from '@mailroute/preprocess';
import type { AppContext } from '../http/context.js';
import type { PredictionRecord } from '../store/types.js';
import type { z } from '@hono/zod-openapi';
import type { ClassifyResponseSchema } from '../http/schemas.js';

type ClassifyResponse = z.infer<typeof ClassifyResponseSchema>;

const TEXT_FIELDS = ['subject', 'body', 'html'] as const;

/** Cuts every text field to `max` characters; says whether anything was cut. */
export function truncateEmail(email: Email, max: number): { email: Email; truncated: boolean } {
  let truncated = false;
  const out: Email = { ...email };
  for (const field of TEXT_FIELDS) {
    const value = out[field];
    if (value !== undefined && value.length > max) {
      out[field] = value.slice(0, max);
      truncated = true;
    }
  }
  return { email: out, truncated };
}

/** The one classify path behind /v1/classify, /v1/classify/eml and /invocations. */
export async function classifyEmails(ctx: AppContext, input: readonly Email[]): Promise<ClassifyResponse> {
  const prepared = input.map((e) => truncateEmail(e, ctx.limits.maxTextChars));
  const lease = ctx.source.acquire();
  try {
    const started = performance.now();
    const predictions = await ctx.batcher.predict(lease.classifier, prepared.map((p) => p.email));
    const latencyMs = performance.now() - started;
    const createdAt = new Date(ctx.clock.now()).toISOString();
    const modelId = lease.classifier.modelId;
    const out = predictions.map((p, i) => {
      const email = input[i];
      const truncated = prepared[i].truncated || p.truncated === true;
      return { ...p, id: email.id ?? p.id, predictionId: ctx.newId(), ...(truncated ? { truncated: true } : {}) };
    });
    const records = out.map((p, i): PredictionRecord => {
      const tasks = Object.entries(p.tasks);
      const record: PredictionRecord = {
        predictionId: p.predictionId,
        emailId: p.id ?? p.predictionId,
        modelId: p.modelId,
        createdAt,
        labels: Object.fromEntries(tasks.map(([t, v]) => [t, v.label])),
        confidences: Object.fromEntries(tasks.map(([t, v]) => [t, v.confidence])),
        abstained: Object.fromEntries(tasks.map(([t, v]) => [t, v.abstained])),
        queue: p.route.queue,
        latencyMs: latencyMs / out.length,
      };
      if (ctx.maskText) {
        const e = prepared[i].email;
        record.text = ctx.maskText([e.subject, e.body ?? e.html].filter((x) => x !== undefined).join('\n\n'));
      }
      return record;
    });
    await ctx.store.savePredictions(records);
    ctx.metrics.recordPredictions(out);
    const cut = out.filter((p) => p.truncated).length;
    return {
      modelId,
      predictions: out,
      ...(cut > 0 ? { warnings: [`${cut} email(s) had text over ${ctx.limits.maxTextChars} characters; it was cut before classification.`] } : {}),
    };
  } finally {
    lease.release();
  }
}
