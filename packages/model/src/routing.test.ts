import { describe, expect, it } from 'vitest';
import { servedRouting } from './contracts.js';
import { routeFromPredictions, withAutomatedRoute } from './routing.js';
import type { TaskPrediction } from './prediction.js';

const task = (label: string, abstained = false): TaskPrediction => ({ label, confidence: abstained ? 0.3 : 0.9, top: [{ label, score: abstained ? 0.3 : 0.9 }], abstained });

describe('routing', () => {
  it('routes to the queue unless a watched task abstains or the queue is the catch-all', () => {
    expect(routeFromPredictions({ queue: task('payments'), topic: task('sepa', true) }, { queueTask: 'queue' })).toEqual({ queue: 'payments', reason: 'confident' });
    expect(routeFromPredictions({ queue: task('payments'), topic: task('sepa', true) }, { queueTask: 'queue', abstainTasks: ['queue', 'topic'] })).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    expect(routeFromPredictions({ queue: task('other') }, { queueTask: 'queue' })).toEqual({ queue: 'manual_triage', reason: 'no_queue' });
  });

  it('servedRouting says the abstaining tasks a manifest leaves to the default, and each task threshold', () => {
    const tasks = [{ name: 'queue', threshold: 0.42 }, { name: 'topic', threshold: 0 }];
    expect(servedRouting({ routing: { queueTask: 'queue' }, tasks })).toEqual({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0.42, topic: 0 } });
    expect(servedRouting({ routing: { queueTask: 'queue', abstainTasks: ['queue', 'topic'] }, tasks }).abstainTasks).toEqual(['queue', 'topic']);
    expect(servedRouting({ routing: { queueTask: 'queue', automatedQueues: { auto_reply: 'auto_replies' } }, tasks }).automatedQueues).toEqual({ auto_reply: 'auto_replies' });
  });

  it('servedRouting lists the languages trained on: at least 1% and 10 of the counted rows, und never, none when none is recorded', () => {
    const tasks = [{ name: 'queue', threshold: 0.42 }];
    const routing = { queueTask: 'queue' };
    const languagesOf = (languages: unknown) => servedRouting({ routing, tasks, training: { languages } }).languages;
    expect(languagesOf({ en: 1899, de: 2100, und: 1 })).toEqual(['de', 'en']);
    // fr: 10 rows but under 1% of 2,010; it: 1% but 9 rows; und: however many, not a language.
    expect(languagesOf({ de: 2000, fr: 10, und: 500 })).toEqual(['de']);
    expect(languagesOf({ de: 891, it: 9 })).toEqual(['de']);
    expect(languagesOf({ de: 990, fr: 10 })).toEqual(['de', 'fr']);
    // Nothing recorded (older models), nothing that qualifies, or no counts: no languages, so nothing is warned of.
    expect(servedRouting({ routing, tasks })).not.toHaveProperty('languages');
    expect(servedRouting({ routing, tasks, training: { labelDistribution: {} } })).not.toHaveProperty('languages');
    expect(languagesOf({ und: 4000 })).toBeUndefined();
    expect(languagesOf({ de: 5 })).toBeUndefined();
    expect(languagesOf(['de', 'en'])).toBeUndefined();
    expect(languagesOf({ de: 'many', en: 20 })).toEqual(['en']);
  });

  it('routes automated mail to the queue the routing names for its kind, else to manual triage', () => {
    const confident = () => ({ tasks: { queue: task('payments') }, route: { queue: 'payments', reason: 'confident' as const } });
    const reply = { subject: 'Automatische Antwort: Sparplan' };
    const bounce = { subject: 'Undelivered Mail Returned to Sender' };
    const routing = { automatedQueues: { auto_reply: 'auto_replies' } };
    expect(withAutomatedRoute(confident(), reply, routing)).toMatchObject({ route: { queue: 'auto_replies', reason: 'automated' }, automated: 'auto_reply' });
    expect(withAutomatedRoute(confident(), bounce, routing)).toMatchObject({ route: { queue: 'manual_triage', reason: 'automated' }, automated: 'delivery_failure' });
    expect(withAutomatedRoute(confident(), reply)).toMatchObject({ route: { queue: 'manual_triage', reason: 'automated' }, automated: 'auto_reply' });
    expect(withAutomatedRoute(confident(), { subject: 'Sparplan' }, routing)).toEqual(confident());
  });

  it("routes an answer an older endpoint image took for automated mail by its labels again, when these rules do not take it", () => {
    const stale = () => ({ tasks: { queue: task('cards') }, route: { queue: 'manual_triage', reason: 'automated' as const }, automated: 'auto_reply' as const });
    const customer = { subject: 'Out of office: please block my card, it was stolen in Rome' };
    expect(withAutomatedRoute(stale(), customer, { queueTask: 'queue' })).toEqual({ tasks: { queue: task('cards') }, route: { queue: 'cards', reason: 'confident' } });
    // Without the routing at hand: manual triage, for low confidence rather than as automated.
    expect(withAutomatedRoute(stale(), customer)).toEqual({ tasks: { queue: task('cards') }, route: { queue: 'manual_triage', reason: 'low_confidence' } });
  });
});
