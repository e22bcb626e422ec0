import { describe, expect, it } from 'vitest';
import { createServingMetrics, REJECTION_REASONS } from './serving-metrics.js';

describe('serving metrics', () => {
  it('exports 0 before the first event for the counters an alert watches (a series that first appears at 1 shows no increase)', () => {
    const metrics = createServingMetrics();
    const text = metrics.registry.render();
    expect(text).toMatch(/^mailroute_model_reloads_total\{result="failure"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_reloads_total\{result="success"\} 0$/m);
    for (const reason of REJECTION_REASONS) expect(text).toMatch(new RegExp(`^mailroute_rejected_requests_total\\{reason="${reason}"\\} 0$`, 'm'));
    expect(text).toMatch(/^mailroute_truncated_emails_total 0$/m);
    for (const reason of ['confident', 'low_confidence', 'no_queue', 'automated']) expect(text).toMatch(new RegExp(`^mailroute_routes_total\\{reason="${reason}"\\} 0$`, 'm'));
    for (const kind of ['auto_reply', 'delivery_failure']) expect(text).toMatch(new RegExp(`^mailroute_automated_emails_total\\{kind="${kind}"\\} 0$`, 'm'));
    expect(text).toMatch(/^mailroute_store_write_failures_total 0$/m);
    expect(text).toMatch(/^mailroute_inflight_requests 0$/m);
    expect(text).toMatch(/^mailroute_model_thread_failures_total\{event="exited"\} 0$/m);
    expect(text).toMatch(/^mailroute_model_thread_failures_total\{event="replacement_failed"\} 0$/m);
    // The first event counts from 0.
    metrics.reloads.inc({ result: 'failure' });
    expect(metrics.registry.render()).toMatch(/^mailroute_model_reloads_total\{result="failure"\} 1$/m);
  });
});
