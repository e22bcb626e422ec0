import { describe, expect, it } from 'vitest';
import { choicesHint } from './config-errors.js';

describe('choicesHint', () => {
  it('suggests a close name (case ignored) and lists the names when there are few', () => {
    expect(choicesHint('Low', ['low', 'normal', 'high'], 'labels')).toBe('(did you mean "low"? labels: low, normal, high)');
    expect(choicesHint('prio', ['queue', 'priority'], 'tasks')).toBe('(did you mean "priority"? tasks: queue, priority)');
    expect(choicesHint('bogus', ['low', 'normal', 'high'], 'labels')).toBe('(labels: low, normal, high)');
    // An abbreviation that only one name starts with; none when several do.
    expect(choicesHint('prio', ['priority', 'topic'], 'tasks')).toBe('(did you mean "priority"? tasks: priority, topic)');
    expect(choicesHint('pr', ['priority', 'product'], 'tasks')).toBe('(tasks: priority, product)');
  });

  it('counts the names instead of listing more than 12', () => {
    const many = Array.from({ length: 13 }, (_, i) => `queue_${i + 1}`);
    expect(choicesHint('Queue_13', many, 'labels')).toBe('(did you mean "queue_13"? 13 labels)');
    expect(choicesHint('zzz', many, 'labels')).toBe('(13 labels)');
    expect(choicesHint('zzz', many.slice(0, 12), 'labels')).toBe(`(labels: ${many.slice(0, 12).join(', ')})`);
  });
});
