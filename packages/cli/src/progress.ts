import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';
import { safeValue } from './terminal-text.js';

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

/**
 * The label shown after the counts: none when it only repeats the title's words, or a word of the title
 * followed by the counts already shown (`predict` in `predict`, `epoch 3/10` in `train epoch` at 3 of 10).
 * A label may come from the data (evaluate's and compare's task names): its control characters are escaped.
 */
export function shownLabel(title: string, label: string, done: number, total: number): string {
  const words = title.split(' ');
  const parts = label.trim().split(/\s+/);
  if (parts[0] === '' || (words.includes(parts[0]) && (parts.length === 1 || (parts.length === 2 && parts[1] === `${done}/${total}`)))) return '';
  return safeValue(label);
}

/**
 * Whether the environment names a CI job: `CI` set to anything but an empty string, `false` or `0` (GitHub and
 * GitLab set `true`, some runners `1`), where a bar's redraws would fill the log even on a pseudo-terminal.
 */
export function inCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export function createProgress(ctx: CliContext, title: string): Progress {
  if (ctx.stderr.isTTY && !inCi(ctx.env)) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% {value}/{total} {label}`, stream: ctx.stderr as NodeJS.WriteStream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (done, total, label = '') => {
        const shown = shownLabel(title, label, done, total);
        if (!started) {
          bar.start(total, done, { label: shown });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { label: shown });
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
      const shown = shownLabel(title, label, done, total);
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile !== lastDecile) {
        lastDecile = decile;
        // The share done, not the tenth it falls in: 5 of 102 is 4%, not 0%.
        const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
        ctx.stderr.write(`${title}: ${percent}% (${done}/${total})${shown ? ` ${shown}` : ''}\n`);
      }
    },
    stop: () => undefined,
    clearLine: () => undefined,
  };
}

/**
 * One progress bar per stage (`clean`, `epoch ...`, `predict`): a library reports its stages through the
 * label, and each stage starts again from 0%. The stage is named after the title unless the title already
 * names it (`predict` in `predict` or `predict challenger`), and a label that only repeats it is not shown.
 */
export function stagedProgress(ctx: CliContext, title: string): Progress {
  let stage: string | undefined;
  let current: Progress | undefined;
  return {
    update: (done, total, label = '') => {
      // `done` closes the running stage rather than opening one.
      const first = label.split(' ')[0];
      const name = first === 'done' && stage !== undefined ? stage : first;
      if (current === undefined || name !== stage) {
        current?.stop();
        stage = name;
        current = createProgress(ctx, name && !title.split(' ').includes(name) ? `${title} ${safeValue(name)}` : title);
      }
      current.update(done, total, label);
    },
    stop: () => current?.stop(),
    clearLine: () => current?.clearLine(),
  };
}
