import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ClassifierTask, ModelRegistry } from '@mailroute/model';
import type { EmlEmail } from '@mailroute/preprocess';
import type { Auth, Principal, Scope } from '../auth/api-keys.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { ServingMetrics } from '../metrics/serving-metrics.js';
import type { PredictBatcher } from '../model/batcher.js';
import type { ClassifierSource } from '../model/classifier-source.js';
import type { TaskScorer } from '../quality/live-quality.js';
import type { PredictionStore } from '../store/types.js';
import type { Limits } from './limits.js';
import type { Clock, Logger } from './logger.js';

export interface AppEnv {
  /**
   * `timedOut`: the caller was answered REQUEST_TIMEOUT (503, or 408 for a body that did not all arrive); work still running should not record results.
   * `jsonBody`: a JSON body as parsed, before validation (own `__proto__` keys, which zod's output drops, included).
   */
  Variables: { principal: Principal; timedOut?: boolean; jsonBody?: unknown; requestId?: string };
}

export type ServingHono = OpenAPIHono<AppEnv>;

/** The training label shares per task of model `modelId`, e.g. from its manifest's metrics; undefined when unknown. */
export type TrainingDistribution = (modelId: string) => Promise<Record<string, Record<string, number>> | undefined>;

/** Everything the routes share, resolved from `createApp`'s options. */
/** The tasks of a registered model by id. */
export type ModelTasks = (modelId: string) => Promise<ClassifierTask[]>;

export interface AppContext {
  source: ClassifierSource;
  registry?: ModelRegistry;
  /** The tasks of another model than the served one (feedback on its predictions); none when unknown. */
  modelTasks?: ModelTasks;
  store: PredictionStore;
  auth: Auth;
  limits: Limits;
  logger: Logger;
  clock: Clock;
  metrics: ServingMetrics;
  rateLimiter: RateLimiter;
  scorer: TaskScorer;
  /** The raw bytes of one message/rfc822 body: 8-bit parts in other charsets than UTF-8 decode as declared; its warnings go in the answer. */
  parseEml?: (raw: Uint8Array) => EmlEmail | Promise<EmlEmail>;
  /** Set to keep a PII-masked copy of the text with each prediction; absent: text is never stored. */
  /** Masks stored text; `knownNames` are the sender's (`senderNames` of the email's `from`). */
  maskText?: (text: string, knownNames?: readonly string[]) => string;
  trainingDistribution?: TrainingDistribution;
  /** The IANA time zone a feedback's closedAt and an email's receivedAt without a zone are read in; absent: UTC. */
  timeZone?: string;
  newId: () => string;
  /** Requests of the same event-loop turn share one predict call. */
  batcher: PredictBatcher;
  /**
   * Requests being handled now: `count` in all (the gauge), `byScope` per kind, each kind capped at
   * `maxConcurrent` on its own, so a flood of classify requests never turns feedback away; `byKey` per API key and
   * kind (`classify:crm`), each capped at `maxConcurrentPerKey` (an entry goes when its key's last request ends).
   */
  inFlight: { count: number; byScope: Partial<Record<Scope, number>>; byKey: Map<string, number> };
}
