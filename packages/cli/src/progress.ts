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
  /**
   * Clears the bar's line, so that a line written now (whole: the terminal wraps it) takes its place; the bar redraws
   * below it, at the next update or once the writer's turn is over. Call it before each line written while a bar runs.
   */
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

/** How often a bar redraws at most while updates come (cli-progress's default 10 per second). */
const REDRAW_MS = 100;
const BAR_SIZE = 40;

/**
 * The width of `c` on a terminal: 2 for the wide characters of East Asian scripts and emoji, 0 for combining
 * marks, else 1. Enough to keep a bar on one row; not a full Unicode width table.
 */
function charWidth(c: string): number {
  const code = c.codePointAt(0) ?? 0;
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200b || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** `text` cut to at most `width` columns. */
function fitted(text: string, width: number): string {
  let used = 0;
  let out = '';
  for (const c of text) {
    used += charWidth(c);
    if (used > width) break;
    out += c;
  }
  return out;
}

/** How long a stage runs before its bar gives a time left: the first seconds' rate says little (reading starts, caches fill). */
const ETA_AFTER_MS = 3000;

/** A time left for a person: `45s`, `3m05s`, `1h02m`. */
export function formatEta(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * The time left of a stage at the rate it has run since it started: none before ETA_AFTER_MS, before the first unit
 * is done, or once it is over.
 */
export function etaOf(elapsedMs: number, done: number, total: number): string | undefined {
  if (elapsedMs < ETA_AFTER_MS || done <= 0 || done >= total) return undefined;
  return `ETA ${formatEta((elapsedMs * (total - done)) / done)}`;
}

/** The bar's line: `title [████░░░░] 40% 4/10 ETA 12s label`, as cli-progress's shades_classic preset drew it. */
function barLine(title: string, done: number, total: number, label: string, eta: string | undefined): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(share * BAR_SIZE);
  const head = `${title} [${'\u2588'.repeat(filled)}${'\u2591'.repeat(BAR_SIZE - filled)}] ${Math.floor(share * 100)}% ${done}/${total}`;
  return [head, eta, label].filter((part) => part !== undefined && part !== '').join(' ').trimEnd();
}

/**
 * The bar of a terminal, drawn on the row of the cursor. Line wrap stays on and the cursor is never saved nor
 * restored (cli-progress did both: the lines written while its bar ran were cut at the edge, and its restore at
 * stop moved the cursor back up over them, so that later lines overwrote them). A line written after clearLine()
 * comes out whole, wrapped by the terminal, where the bar was; the bar redraws on the row below it, at the next
 * update or, failing one, once the writer's turn is over. The bar itself is cut to the width: one row, so that
 * a carriage return takes the cursor back to its start.
 */
function terminalBar(ctx: CliContext, title: string, now: () => number): Progress {
  const stream = ctx.stderr as NodeJS.WritableStream & { columns?: number };
  const startedAt = now();
  let state: { done: number; total: number; label: string } | undefined;
  // What the bar's row shows now: undefined when it is not drawn (never yet, or cleared for a line).
  let shown: string | undefined;
  let lastDraw = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let redrawSoon: ReturnType<typeof setImmediate> | undefined;

  const draw = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (state === undefined) return;
    // A terminal that reports 0 columns (`docker run -t`, `script` without a size) is taken as 80 wide, not 1.
    const eta = etaOf(now() - startedAt, state.done, state.total);
    const line = fitted(barLine(title, state.done, state.total, state.label, eta), Math.max(1, (stream.columns || 80) - 1));
    if (line === shown) return;
    // The first draw hides the cursor, which would blink on the bar; stop shows it again.
    stream.write(`${shown === undefined && lastDraw === 0 ? '\x1b[?25l' : ''}\r${line}\x1b[K`);
    shown = line;
    lastDraw = now();
  };

  return {
    update: (done, total, label = '') => {
      if (stopped) return;
      state = { done, total, label: shownLabel(title, label, done, total) };
      // At most 10 redraws a second; the last state of a burst is drawn when it ends, or at stop.
      if (shown === undefined || done >= total || now() - lastDraw >= REDRAW_MS) draw();
      else timer ??= setTimeout(draw, REDRAW_MS - (now() - lastDraw)).unref();
    },
    stop: () => {
      if (stopped || state === undefined) return;
      stopped = true;
      if (redrawSoon !== undefined) clearImmediate(redrawSoon);
      draw();
      stream.write('\x1b[?25h\n');
    },
    clearLine: () => {
      if (stopped || shown === undefined) return;
      stream.write('\r\x1b[2K');
      shown = undefined;
      // The caller writes its line now; the bar comes back below it.
      redrawSoon ??= setImmediate(() => {
        redrawSoon = undefined;
        if (!stopped && shown === undefined) draw();
      });
    },
  };
}

/**
 * Whether the terminal cannot redraw a line in place (`TERM=dumb`: an editor's shell buffer, a terminal set up for a
 * screen reader, which would read every redraw aloud): plain lines then, as in a log.
 */
export function dumbTerminal(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.TERM?.trim() === 'dumb';
}

/** `now`: the clock a bar's time left is measured with (tests pass their own). */
export function createProgress(ctx: CliContext, title: string, now: () => number = Date.now): Progress {
  if (ctx.stderr.isTTY && !inCi(ctx.env) && !dumbTerminal(ctx.env)) return terminalBar(ctx, title, now);
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
