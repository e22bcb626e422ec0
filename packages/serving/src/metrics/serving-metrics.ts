import { RouteSchema, type EmailPrediction } from '@mailroute/model';
import { AUTOMATED_KINDS } from '@mailroute/preprocess';
import { THREAD_FAILURE_EVENTS } from '../model/thread-health.js';
import { registerProcessMetrics } from './process-metrics.js';
import { Counter, Gauge, Histogram, labelKey, MetricsRegistry } from './prometheus.js';

/** Latency buckets in seconds: the service aims at single-digit milliseconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Buckets of `mailroute_feedback_delay_seconds`, from a prediction to its case's close: five minutes to ninety days,
 * as a service desk closes cases within hours or days.
 */
const FEEDBACK_DELAY_BUCKETS = [300, 900, 3600, 4 * 3600, 12 * 3600, 86_400, 2 * 86_400, 4 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400, 90 * 86_400];

/** The `matched` of `mailroute_feedback_total`: the feedback named an email with a prediction stored here, or not (yet). */
export const FEEDBACK_MATCHED = ['true', 'false'] as const;

/** The `result` of `mailroute_model_reloads_total`: a model loaded, or one that failed to load (a registry that could not be read is neither: `mailroute_registry_read_failures_total`). */
export const RELOAD_RESULTS = ['success', 'failure'] as const;
/**
 * The `status_class` of `mailroute_http_request_duration_seconds`: the answer's status by its hundreds, five values at
 * most, so the histogram's series stay bounded by the routes. A refusal (a 1 ms 401, 429 or 503 `OVERLOADED`) would
 * otherwise pull a route's p99 down exactly when the service is degraded: `status_class="2xx"` is what it served.
 */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** `2xx` for 200 to 299, and so on; `5xx` for a status out of range (an answer the server could not make properly). */
export function statusClass(status: number): (typeof STATUS_CLASSES)[number] {
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? '5xx';
}

/** The reasons a route may give (`RouteSchema`): each model's series of `mailroute_routes_total` start at 0 for all. */
const ROUTE_REASONS: readonly string[] = RouteSchema.shape.reason.options;

/**
 * The `reason` of `mailroute_rejected_requests_total`: a key's rate limit, a body over the limit, too many requests at
 * once (of the server's, or of one key's share), a body that stopped arriving, a request from another machine to a server without keys (Host or Origin).
 */
export const REJECTION_REASONS = ['rate_limit', 'body_size', 'concurrency', 'concurrency_per_key', 'timeout', 'not_loopback'] as const;

export interface ServingMetrics {
  registry: MetricsRegistry;
  requests: Counter;
  latency: Histogram;
  /** One request's latency in `latency`, under its route and the class of its status (`statusClass`). */
  observeLatency(route: string, status: number, seconds: number): void;
  predictions: Counter;
  abstentions: Counter;
  truncations: Counter;
  /** Emails by the route's reason: the share sent to manual triage, and why. */
  routes: Counter;
  /** Automated emails by kind: a rise of `delivery_failure` is the bank's own outgoing mail bouncing. */
  automated: Counter;
  /** Emails in a language the served model was not trained on, by that language (classify's warning says them too). */
  untrainedLanguages: Counter;
  modelInfo: Gauge;
  reloads: Counter;
  /**
   * 1 while the newest model the server tried to load failed and an older one (or none) serves; 0 once a model
   * loads. A failed load is not retried on every poll, so `increase(mailroute_model_reloads_total{result="failure"})`
   * fires once: this stays up while the served model is not the one wanted.
   */
  modelLoadFailing: Gauge;
  /** Every problem answer by route and its stable `code` (which of the 503s, 400s, ...: the status alone does not say). */
  problems: Counter;
  /** Feedback recorded (202), by whether it matched a stored prediction. */
  feedback: Counter;
  /** From a prediction to the close of its case (the feedback's closedAt), for feedback that matched one. */
  feedbackDelay: Histogram;
  /** Reads of the registry that failed (a poll or a reload that found no champion to compare): no model load was tried. */
  registryReadFailures: Counter;
  /** 1 while the registry names no champion and the model loaded before serves on, no longer approved. */
  championMissing: Gauge;
  championFilesBroken: Gauge;
  inFlight: Gauge;
  rejected: Counter;
  /** Prediction records that failed to commit after their answer had gone (queued writes). */
  storeWriteFailures: Counter;
  /** Model threads that exited while serving, and replacements that failed to load, by `event`. */
  modelThreadFailures: Counter;
  recordPredictions(predictions: readonly EmailPrediction[]): void;
  /** The model served now, and its tasks: each task's abstentions start at 0 (kept for the tasks of a model before). */
  setModel(modelId: string | undefined, tasks?: readonly string[]): void;
}

export function createServingMetrics(): ServingMetrics {
  const registry = new MetricsRegistry();
  const requests = registry.register(new Counter('mailroute_http_requests_total', 'HTTP requests by route, method and status.'));
  const latency = registry.register(
    new Histogram('mailroute_http_request_duration_seconds', 'HTTP request latency by route and status class (2xx: served; 4xx, 5xx: refused or failed).', LATENCY_BUCKETS),
  );
  const predictions = registry.register(new Counter('mailroute_predictions_total', 'Predicted labels by task, label and the model that predicted them (model_id; automated emails aside).'));
  const abstentions = registry.register(new Counter('mailroute_abstentions_total', 'Task predictions under the threshold, by task and model (model_id; automated emails aside).'));
  const truncations = registry.register(new Counter('mailroute_truncated_emails_total', 'Emails cut before classification: over the text limit, or more clean text than the model reads.'));
  const routes = registry.register(
    new Counter('mailroute_routes_total', 'Emails by the reason of their route and the model that routed them (model_id): confident (to a queue), low_confidence and no_queue (manual triage), automated (manual triage or the routing\'s queue for the kind).'),
  );
  const automated = registry.register(new Counter('mailroute_automated_emails_total', 'Emails answered as automated, by kind: auto_reply (out-of-office, read receipts, delay notices), delivery_failure (bounces).'));
  const modelInfo = registry.register(new Gauge('mailroute_model_info', 'The model being served (value 1).'));
  const untrainedLanguages = registry.register(
    new Counter('mailroute_untrained_language_emails_total', 'Emails classified whose detected language the model was not trained on (its manifest\'s training.languages), by language: their labels are unreliable.'),
  );
  const reloads = registry.register(new Counter('mailroute_model_reloads_total', 'Model reloads by result: success (another model loaded), failure (a model failed to load).'));
  const modelLoadFailing = registry.register(
    new Gauge('mailroute_model_load_failing', '1 while the last model load failed and is still wanted: a champion that did not load (an older model, or none, is served) or a forced reload of the model served (its files no longer load); 0 once a model loads, or the model that failed is no longer the champion and no other is to load.'),
  );
  modelLoadFailing.set({}, 0);
  const problems = registry.register(new Counter('mailroute_problem_responses_total', 'Problem (error) answers by route and stable code, e.g. OVERLOADED, STORE_UNAVAILABLE, REQUEST_INVALID.'));
  const feedback = registry.register(new Counter('mailroute_feedback_total', 'Feedback recorded (answered 202), by whether it matched a prediction stored here (matched="false": none of that email yet).'));
  for (const matched of FEEDBACK_MATCHED) feedback.inc({ matched }, 0);
  const feedbackDelay = registry.register(
    new Histogram('mailroute_feedback_delay_seconds', 'Time from a prediction to the close of its case (feedback closedAt), for feedback that matched a prediction.', FEEDBACK_DELAY_BUCKETS),
  );
  const registryReadFailures = registry.register(
    new Counter('mailroute_registry_read_failures_total', 'Registry reads that failed (registry.json unreadable): the loaded model keeps serving, no model load was tried.'),
  );
  const championMissing = registry.register(
    new Gauge('mailroute_champion_missing', '1 while the registry names no champion (rejected with no other Approved version): the model loaded before serves on, no longer approved; 0 otherwise.'),
  );
  championMissing.set({}, 0);
  const championFilesBroken = registry.register(
    new Gauge(
      'mailroute_champion_files_broken',
      "1 while the served champion's files in the registry no longer load (its folder deleted, a file missing or changed): it serves on from memory, but a restart or a new server would fail to load it; 0 otherwise.",
    ),
  );
  championFilesBroken.set({}, 0);
  const inFlight = registry.register(new Gauge('mailroute_inflight_requests', 'Requests being handled now.'));
  // 0 from the start, not absent until the first guarded request (an alert on it would see no data).
  inFlight.set({}, 0);
  const rejected = registry.register(new Counter('mailroute_rejected_requests_total', 'Requests refused by a limit, by reason.'));
  // Counters an alert watches start at 0 for every label value they can take: a series that first appears at 1
  // shows no increase() or rate(), so the first failed model load (which is not retried on every poll), the
  // first truncation or the first refusal of a kind would never fire an alert.
  for (const result of RELOAD_RESULTS) reloads.inc({ result }, 0);
  for (const reason of REJECTION_REASONS) rejected.inc({ reason }, 0);
  truncations.inc({}, 0);
  registryReadFailures.inc({}, 0);
  // Route series keys by model and reason, made once per model: recordPredictions runs for every email.
  const routeKeys = new Map<string, Map<string, string>>();
  const routeKeysOf = (modelId: string): Map<string, string> => {
    let keys = routeKeys.get(modelId);
    if (!keys) routeKeys.set(modelId, (keys = new Map(ROUTE_REASONS.map((reason) => [reason, labelKey({ reason, model_id: modelId })]))));
    return keys;
  };
  const automatedKeys = new Map(AUTOMATED_KINDS.map((kind) => [kind as string, labelKey({ kind })]));
  for (const key of automatedKeys.values()) automated.incKey(key, 0);
  const storeWriteFailures = registry.register(
    new Counter('mailroute_store_write_failures_total', 'Prediction records that failed to commit after their answer was sent.'),
  );
  storeWriteFailures.inc({}, 0);
  const modelThreadFailures = registry.register(
    new Counter('mailroute_model_thread_failures_total', 'Model threads that exited while serving (exited) and replacements that failed to load (replacement_failed).'),
  );
  for (const event of THREAD_FAILURE_EVENTS) modelThreadFailures.inc({ event }, 0);
  registerProcessMetrics(registry);
  // Series keys by model, task and label, made once: recordPredictions runs for every email. By model, so that the
  // labels and abstentions of two models (across a swap, a rollback) can be told apart.
  const predictionKeys = new Map<string, Map<string, string>>();
  const predictionKey = (modelId: string, task: string, label: string): string => {
    const at = `${modelId}\u0000${task}`;
    let byLabel = predictionKeys.get(at);
    if (!byLabel) predictionKeys.set(at, (byLabel = new Map()));
    let key = byLabel.get(label);
    if (key === undefined) byLabel.set(label, (key = labelKey({ task, label, model_id: modelId })));
    return key;
  };
  return {
    registry,
    requests,
    latency,
    observeLatency(route, status, seconds) {
      latency.observe({ route, status_class: statusClass(status) }, seconds);
    },
    predictions,
    abstentions,
    truncations,
    routes,
    automated,
    untrainedLanguages,
    modelInfo,
    reloads,
    modelLoadFailing,
    problems,
    feedback,
    feedbackDelay,
    registryReadFailures,
    championMissing,
    championFilesBroken,
    inFlight,
    rejected,
    storeWriteFailures,
    modelThreadFailures,
    recordPredictions(list) {
      for (const p of list) {
        // An automated email's labels (an auto-reply's, a bounce's) say nothing of the customers' mail: its route alone is counted.
        if (p.automated === undefined) for (const task in p.tasks) {
          const t = p.tasks[task];
          predictions.incKey(predictionKey(p.modelId, task, t.label));
          if (t.abstained) abstentions.inc({ task, model_id: p.modelId });
        }
        if (p.truncated) truncations.inc();
        const routeKey = routeKeysOf(p.modelId).get(p.route.reason);
        if (routeKey !== undefined) routes.incKey(routeKey);
        const automatedKey = p.automated === undefined ? undefined : automatedKeys.get(p.automated);
        if (automatedKey !== undefined) automated.incKey(automatedKey);
      }
    },
    setModel(modelId, tasks = []) {
      modelInfo.reset();
      if (modelId !== undefined) modelInfo.set({ model_id: modelId }, 1);
      // 0 from the model's start, as the other counters an alert watches: a task's first abstention would show no increase().
      if (modelId !== undefined) for (const task of tasks) abstentions.inc({ task, model_id: modelId }, 0);
      // Its routes too: the share a new model sends to manual triage is watched from its first email.
      if (modelId !== undefined) for (const key of routeKeysOf(modelId).values()) routes.incKey(key, 0);
    },
  };
}
