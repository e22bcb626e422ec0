import { describe, expect, it } from 'vitest';
import { closestKey, didYouMean, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('subject', 'subject')).toBe(0);
    expect(editDistance('subjekt', 'subject')).toBe(1);
    expect(editDistance('taks', 'tasks')).toBe(1);
    expect(editDistance('tasks', 'taks')).toBe(1);
    expect(editDistance('bdoy', 'body')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closestKey and didYouMean', () => {
  const known = ['subject', 'body', 'html', 'receivedAt'];

  it('suggest the close name, case ignored, and nothing when no name is close', () => {
    expect(closestKey('Received_At', known)).toBe('receivedAt');
    expect(closestKey('to', known)).toBeUndefined();
    expect(didYouMean('subjekt', known)).toBe(' (did you mean subject?)');
    expect(didYouMean('taks', ['tasks', 'split'], '"')).toBe(' (did you mean "tasks"?)');
    expect(didYouMean('xyz', known)).toBe('');
  });

  it('compares no name longer than a typo can be', () => {
    expect(closestKey(`subject${'x'.repeat(200)}`, [`subject${'x'.repeat(199)}`])).toBeUndefined();
  });
});
