import type { CliContext } from './context.js';
import { InterruptedError } from './errors.js';

export interface TwoStepInterrupt {
  /** Aborted at the first Ctrl-C, its reason the `reason` given. */
  signal: AbortSignal;
  /**
   * The work is over: stops listening, or with `quietAfter`, ignores a first Ctrl-C from now on (the command ends
   * by itself in a moment, with its own exit code, which bin/mailroute.mjs gives one that comes after main) and
   * still exits 130 at a second.
   */
  release(): void;
  /**
   * Runs `cleanUp` as well at a second signal, before quitting, until the function it returns is called: what one
   * step of the work leaves while it runs (writeStaged's hidden folder, under a command's own interrupt).
   */
  alsoAgain(cleanUp: () => void): () => void;
}

/** How a stopping signal is named to the person who sent it. */
export type SignalName = 'Ctrl-C' | 'SIGTERM';

/**
 * Ctrl-C as long work takes it: the first writes `stopping` (after `first`) and aborts `signal` with `reason`, so
 * the work stops at its next step (`stopping` may be a function of the signal's name, to say which signal quits at
 * once: the one that came, `SIGTERM again` after a SIGTERM); a second runs `again` (cleaning up what the work left), writes `quitting` and
 * exits 130 at once, for work that looks at the signal only when it is done (reading a big file, say). SIGTERM
 * (`docker stop`, a supervisor, `kill`) is taken as a Ctrl-C, the work stopped the same way, and the command
 * exits 143 (128 + SIGTERM): a training stopped so is recorded as interrupted, not left `running`.
 */
export function twoStepInterrupt(
  ctx: CliContext,
  o: { stopping: string | ((signal: SignalName) => string); quitting: string; reason: Error; first?: () => void; again?: () => void; quietAfter?: boolean },
): TwoStepInterrupt {
  const interrupt = new AbortController();
  const cleanUps = new Set<() => void>();
  const onSignal = (name: SignalName, code: 130 | 143) => () => {
    if (interrupt.signal.aborted) {
      o.again?.();
      for (const cleanUp of cleanUps) cleanUp();
      ctx.stderr.write(`\n${name} again: ${o.quitting}\n`);
      ctx.exit(code);
      return;
    }
    o.first?.();
    // Said of the signal that came: `SIGTERM again quits at once` to a supervisor's SIGTERM, not `Ctrl-C again`.
    ctx.stderr.write(`\n${name}: ${typeof o.stopping === 'string' ? o.stopping : o.stopping(name)}\n`);
    // The reason says how the command ends: an InterruptedError exits 130, or 143 for SIGTERM.
    interrupt.abort(code === 143 && o.reason instanceof InterruptedError ? new InterruptedError(o.reason.message, 143) : o.reason);
  };
  const onInterrupt = onSignal('Ctrl-C', 130);
  const onTerminate = onSignal('SIGTERM', 143);
  ctx.signals.on('SIGINT', onInterrupt);
  ctx.signals.on('SIGTERM', onTerminate);
  // Without a listener, a Ctrl-C between the work's end and the process's (onnxruntime and SQLite closing) kills
  // it with 130, which for train says that the model was not registered when it was.
  let late = 0;
  const afterWork = (code: 130 | 143) => () => {
    late += 1;
    if (late > 1) ctx.exit(code);
  };
  // The quiet listeners come before the others go: a signal's last listener removed, Node gives the signal back its
  // default action, so a Ctrl-C landing between the two would kill the process with 130.
  const release = () => {
    if (o.quietAfter === true) {
      ctx.signals.on('SIGINT', afterWork(130));
      ctx.signals.on('SIGTERM', afterWork(143));
    }
    ctx.signals.off('SIGINT', onInterrupt);
    ctx.signals.off('SIGTERM', onTerminate);
  };
  const alsoAgain = (cleanUp: () => void) => {
    const own = () => cleanUp();
    cleanUps.add(own);
    return () => void cleanUps.delete(own);
  };
  return { signal: interrupt.signal, release, alsoAgain };
}

/** The chunks, stopping (with the signal's reason) at the first one after the signal is aborted. */
export function* untilAborted(chunks: Iterable<string>, signal: AbortSignal): Iterable<string> {
  for (const chunk of chunks) {
    signal.throwIfAborted();
    yield chunk;
  }
}
