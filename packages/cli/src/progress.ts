import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

/** The progress callback libraries take: `done` of `total` units, with an optional label. */
export type OnProgress = (done: number, total: number, label?: string) => void;

/**
 * A progress bar on stderr when it is a terminal; otherwise a plain line every 10%, so CI logs stay short.
 * Returns the callback to hand to a library and a `stop()` to call when the work ends.
 */
export interface Progress {
  update: OnProgress;
  stop: () => void;
  /** Clears the bar's line, so a line written now starts at the left edge; the bar redraws on the next update. */
  clearLine: () => void;
}

export function createProgress(ctx: CliContext, title: string): Progress {
  if (ctx.stderr.isTTY && ctx.env.CI !== 'true') {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% {value}/{total} {label}`, stream: ctx.stderr as NodeJS.WriteStream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total, label = '') => {
        if (!started) {
          bar.start(total, done, { label });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { label });
      },
      stop: () => {
        if (started) bar.stop();
      },
      clearLine: () => {
        if (started) ctx.stderr.write('\r\x1b[2K');
      },
    };
  }
  let lastDecile = -1;
  return {
    update: (done, total, label = '') => {
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        // The share done, not the tenth it falls in: 5 of 102 is 4%, not 0%.
        const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
        ctx.stderr.write(`${title}: ${percent}% (${done}/${total})${label ? ` ${label}` : ''}\n`);
      }
    },
    stop: () => undefined,
    clearLine: () => undefined,
  };
}
