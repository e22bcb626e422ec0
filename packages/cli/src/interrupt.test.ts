import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { captureStream } from './test-support.js';
import { twoStepInterrupt } from './interrupt.js';
import { InterruptedError } from './errors.js';

function setup(quietAfter?: boolean, reason: Error = new Error('interrupted')) {
  const signals = new EventEmitter();
  const stderr = captureStream();
  const exits: number[] = [];
  const ctx = createContext({ env: {}, signals, stderr: stderr.stream, exit: (code) => exits.push(code) });
  const interrupt = twoStepInterrupt(ctx, { stopping: 'stopping', quitting: 'quitting', reason, ...(quietAfter === undefined ? {} : { quietAfter }) });
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

  it('takes SIGTERM as a Ctrl-C: the work stops at its next step and the command ends with 143; a second SIGTERM exits 143 at once', () => {
    const { signals, stderr, exits, interrupt } = setup(undefined, new InterruptedError('interrupted: nothing written'));
    signals.emit('SIGTERM');
    expect(interrupt.signal.aborted).toBe(true);
    expect(interrupt.signal.reason).toBeInstanceOf(InterruptedError);
    expect((interrupt.signal.reason as InterruptedError).exitCode).toBe(143);
    expect((interrupt.signal.reason as InterruptedError).message).toBe('interrupted: nothing written');
    expect([exits, stderr.text()]).toEqual([[], '\nSIGTERM: stopping\n']);
    signals.emit('SIGTERM');
    expect(exits).toEqual([143]);
    const ctrlC = setup(undefined, new InterruptedError('interrupted'));
    ctrlC.signals.emit('SIGINT');
    expect((ctrlC.interrupt.signal.reason as InterruptedError).exitCode).toBe(130);
  });

  it('says which signal quits at once: the one that came (SIGTERM again, to a supervisor; Ctrl-C again, at a terminal)', () => {
    for (const [event, name] of [['SIGTERM', 'SIGTERM'], ['SIGINT', 'Ctrl-C']] as const) {
      const signals = new EventEmitter();
      const stderr = captureStream();
      const exits: number[] = [];
      const ctx = createContext({ env: {}, signals, stderr: stderr.stream, exit: (code) => exits.push(code) });
      twoStepInterrupt(ctx, { stopping: (signal) => `stopping (${signal} again quits at once)`, quitting: 'quitting', reason: new InterruptedError('interrupted') });
      signals.emit(event);
      expect(stderr.text()).toBe(`\n${name}: stopping (${name} again quits at once)\n`);
      signals.emit(event);
      expect(stderr.text()).toBe(`\n${name}: stopping (${name} again quits at once)\n\n${name} again: quitting\n`);
      expect(exits).toEqual([event === 'SIGTERM' ? 143 : 130]);
    }
  });

  it('stops listening to SIGTERM once the work is over; with quietAfter a first SIGTERM then is ignored, a second exits 143', () => {
    const plain = setup();
    plain.interrupt.release();
    expect(plain.signals.listenerCount('SIGTERM')).toBe(0);
    const { signals, exits, interrupt } = setup(true);
    interrupt.release();
    signals.emit('SIGTERM');
    expect([interrupt.signal.aborted, exits]).toEqual([false, []]);
    signals.emit('SIGTERM');
    expect(exits).toEqual([143]);
  });
});
