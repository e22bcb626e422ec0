import type { CliContext } from './context.js';

export interface TwoStepInterrupt {
  /** Aborted at the first Ctrl-C, its reason the `reason` given. */
  signal: AbortSignal;
  /** Stops listening for Ctrl-C. */
  release(): void;
}

/**
 * Ctrl-C as long work takes it: the first writes `stopping` (after `first`) and aborts `signal` with `reason`, so
 * the work stops at its next step; a second runs `again` (cleaning up what the work left), writes `quitting` and
 * exits 130 at once, for work that looks at the signal only when it is done (reading a big file, say).
 */
export function twoStepInterrupt(
  ctx: CliContext,
  o: { stopping: string; quitting: string; reason: Error; first?: () => void; again?: () => void },
): TwoStepInterrupt {
  const interrupt = new AbortController();
  const onInterrupt = () => {
    if (interrupt.signal.aborted) {
      o.again?.();
      ctx.stderr.write(`\nCtrl-C again: ${o.quitting}\n`);
      ctx.exit(130);
      return;
    }
    o.first?.();
    ctx.stderr.write(`\nCtrl-C: ${o.stopping}\n`);
    interrupt.abort(o.reason);
  };
  ctx.signals.on('SIGINT', onInterrupt);
  return { signal: interrupt.signal, release: () => ctx.signals.off('SIGINT', onInterrupt) };
}
