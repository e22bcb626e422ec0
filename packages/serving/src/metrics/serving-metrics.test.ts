import { describe, expect, it } from 'vitest';
import { createServingMetrics, REJECTION_REASONS, statusClass } from './serving-metrics.js';

describe('serving metrics', () => {
  it('exports 0 before the first event for the counters an alert watches (a series that first appears at 1 shows no increase)', () => {
    const metrics = createServingMetrics();
    const text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_model_reloads_total\{result="failure"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_reloads_total\{result="success"\} 0$/m);
    for (const reason of REJECTION_REASONS) expect(text).toMatch(new RegExp(`^mailroute_rejected_requests_total\\{reason="${reason}"\\} 0$`, 'm'));
    expect(text).toMatch(/^mailroute_truncated_emails_total 0$/m);
    for (const kind of ['auto_reply', 'delivery_failure']) expect(text).toMatch(new RegExp(`^mailroute_automated_emails_total\\{kind="${kind}"\\} 0$`, 'm'));
    expect(text).toMatch(/^mailroute_store_write_failures_total 0$/m);
    expect(text).toMatch(/^mailroute_registry_read_failures_total 0$/m);
    expect(text).toMatch(/^mailroute_inflight_requests 0$/m);
    expect(text).toMatch(/^mailroute_model_thread_failures_total\{event="exited"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_thread_failures_total\{event="replacement_failed"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_load_failing 0$/m);
    expect(text).toMatch(/^mailroute_feedback_total\{matched="true"\} 0$/m);
    expect(text).toMatch(/^mailroute_feedback_total\{matched="false"\} 0$/m);
    // The first event counts from 0.
    metrics.reloads.inc({ result: 'failure' });
    expect(metrics.registry.render()).toMatch(/^mailroute_model_reloads_total\{result="failure"\} 1$/m);
  });

  it('exports the process series under their usual names, read at each scrape', () => {
    const metrics = createServingMetrics();
    const value = (text: string, name: string): number => {
      const m = new RegExp(`^# TYPE ${name} (counter|gauge)\\n${name} (\\S+)$`, 'm').exec(text);
      expect(m, name).not.toBeNull();
      return Number(m![2]);
    };
    const first = metrics.registry.render();
    expect(value(first, 'process_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    expect(value(first, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(Math.abs(value(first, 'process_start_time_seconds') - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
    if (process.platform === 'linux') expect(value(first, 'process_open_fds')).toBeGreaterThan(2);
    const cpu = value(first, 'process_cpu_seconds_total');
    const until = performance.now() + 30;
    while (performance.now() < until); // spend CPU the next scrape must see
    expect(value(metrics.registry.render(), 'process_cpu_seconds_total')).toBeGreaterThan(cpu);
  });

  it('starts each task\'s abstentions at 0 when a model is set, and those of a new model\'s tasks on a swap, keeping the counts so far', () => {
    const metrics = createServingMetrics();
    // No model yet: no task to name.
    expect(metrics.registry.render()).not.toMatch(/^mailroute_abstentions_total/m);
    metrics.setModel('m1', ['queue', 'topic']);
    let text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m1",task="queue"\} 0$/m);
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m1",task="topic"\} 0$/m);
    metrics.abstentions.inc({ task: 'queue', model_id: 'm1' });
    metrics.setModel('m2', ['queue', 'business_area']);
    text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m1",task="queue"\} 1$/m);
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m2",task="queue"\} 0$/m);
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m2",task="business_area"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_info\{model_id="m2"\} 1$/m);
  });

  it('starts every route reason of each model at 0 when the model is set (none before a model), keeping the counts so far', () => {
    const metrics = createServingMetrics();
    expect(metrics.registry.render()).not.toMatch(/^mailroute_routes_total/m);
    metrics.setModel('m1', ['queue']);
    for (const reason of ['confident', 'low_confidence', 'no_queue', 'automated']) expect(metrics.registry.render()).toMatch(new RegExp(`^mailroute_routes_total\\{model_id="m1",reason="${reason}"\\} 0$`, 'm'));
    metrics.recordPredictions([{ modelId: 'm1', tasks: {}, route: { queue: 'manual_triage', reason: 'low_confidence' } }]);
    metrics.setModel('m2', ['queue']);
    const text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_routes_total\{model_id="m1",reason="low_confidence"\} 1$/m);
    expect(text).toMatch(/^mailroute_routes_total\{model_id="m2",reason="low_confidence"\} 0$/m);
  });

  it('counts the labels and abstentions of each model apart (a swap, a rollback), automated mail by its route alone', () => {
    const metrics = createServingMetrics();
    const prediction = (modelId: string, label: string, abstained: boolean, automated?: 'auto_reply') => ({
      modelId,
      tasks: { queue: { label, confidence: 0.9, top: [{ label, score: 0.9 }], abstained } },
      route: { queue: label, reason: 'confident' as const },
      ...(automated === undefined ? {} : { automated }),
    });
    metrics.recordPredictions([prediction('m1', 'payments', false), prediction('m1', 'payments', true), prediction('m2', 'payments', false), prediction('m2', 'loans', false, 'auto_reply')]);
    const text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_predictions_total\{label="payments",model_id="m1",task="queue"\} 2$/m);
    expect(text).toMatch(/^mailroute_predictions_total\{label="payments",model_id="m2",task="queue"\} 1$/m);
    expect(text).not.toMatch(/label="loans"/);
    expect(text).toMatch(/^mailroute_abstentions_total\{model_id="m1",task="queue"\} 1$/m);
    expect(text).not.toMatch(/^mailroute_abstentions_total\{model_id="m2"/m);
    // The routes of each model apart too: the share a new model sends to manual triage against the old one's.
    expect(text).toMatch(/^mailroute_routes_total\{model_id="m1",reason="confident"\} 2$/m);
    expect(text).toMatch(/^mailroute_routes_total\{model_id="m2",reason="confident"\} 2$/m);
  });

  it('keeps latency by route and status class (bounded: 1xx to 5xx), so refusals do not pull the served requests\' quantiles down', () => {
    expect([100, 200, 204, 302, 401, 429, 499, 500, 503, 599].map(statusClass)).toEqual(['1xx', '2xx', '2xx', '3xx', '4xx', '4xx', '4xx', '5xx', '5xx', '5xx']);
    // Out of range (no answer of this server's): the server's fault, not a new label value.
    expect([0, 99, 600, 1000].map(statusClass)).toEqual(['5xx', '5xx', '5xx', '5xx']);
    const metrics = createServingMetrics();
    metrics.observeLatency('/v1/classify', 200, 0.2);
    metrics.observeLatency('/v1/classify', 503, 0.0004);
    metrics.observeLatency('/v1/classify', 429, 0.0004);
    metrics.observeLatency('/v1/classify', 401, 0.0004);
    const text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify",status_class="2xx"\} 1$/m);
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_bucket\{route="\/v1\/classify",status_class="2xx",le="0.1"\} 0$/m);
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify",status_class="4xx"\} 2$/m);
    expect(text).toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify",status_class="5xx"\} 1$/m);
    expect(text).not.toMatch(/^mailroute_http_request_duration_seconds_count\{route="\/v1\/classify"\}/m);
  });
});
