import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { captureStream } from './test-support.js';
import { twoStepInterrupt } from './interrupt.js';

function setup(quietAfter?: boolean) {
  const signals = new EventEmitter();
  const stderr = captureStream();
  const exits: number[] = [];
  const ctx = createContext({ env: {}, signals, stderr: stderr.stream, exit: (code) => exits.push(code) });
  const interrupt = twoStepInterrupt(ctx, { stopping: 'stopping', quitting: 'quitting', reason: new Error('interrupted'), ...(quietAfter === undefined ? {} : { quietAfter }) });
  return { signals, stderr, exits, interrupt };
}

describe('twoStepInterrupt', () => {
  it('stops the work at the first Ctrl-C and exits 130 at the second', () => {
    const { signals, stderr, exits, interrupt } = setup();
    signals.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    signals.emit('SIGINT');
    expect(exits).toEqual([130]);
    expect(stderr.text()).toContain('Ctrl-C: stopping');
  });

  it('once the work is over, stops listening; with quietAfter, ignores a first Ctrl-C (the command ends with its own code) and still exits 130 at a second', () => {
    const plain = setup();
    plain.interrupt.release();
    expect(plain.signals.listenerCount('SIGINT')).toBe(0);
    const { signals, stderr, exits, interrupt } = setup(true);
    interrupt.release();
    signals.emit('SIGINT');
    expect([interrupt.signal.aborted, exits, stderr.text()]).toEqual([false, [], '']);
    // Some listener stays: without one, Node's default would end the process with 130 at once.
    expect(signals.listenerCount('SIGINT')).toBe(1);
    signals.emit('SIGINT');
    expect(exits).toEqual([130]);
  });
});
