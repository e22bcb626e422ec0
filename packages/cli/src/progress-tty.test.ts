import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { createProgress, stagedProgress } from './progress.js';
import { captureStream } from './test-support.js';

/**
 * A terminal screen, enough of a VT100 for what a progress bar and the lines around it write: printable characters
 * (wrapped at the right edge unless line wrap is off: ESC [?7l), CR, LF (as a terminal's output, LF goes to the
 * line's start too), cursor save and restore (ESC 7, ESC 8), erase in line (ESC [K, ESC [2K), cursor to column
 * (ESC [nG), cursor up, down, left, right, erase below (ESC [J); other sequences (cursor shown or hidden) are ignored.
 * The screen never scrolls: it grows, as a tall window would.
 */
class Screen {
  readonly rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private wrap = true;
  private saved: [number, number] = [0, 0];
  constructor(readonly width: number) {}

  private line(): string[] {
    while (this.rows.length <= this.row) this.rows.push([]);
    return this.rows[this.row];
  }

  write(text: string): void {
    // eslint-disable-next-line no-control-regex -- the escape sequences are what is parsed
    const token = /\x1b\[(\??)(\d*)(?:;(\d*))?([A-Za-z])|\x1b([78])|([\s\S])/g;
    for (const m of text.matchAll(token)) {
      const [, question, n, , command, escape, char] = m;
      if (escape === '7') this.saved = [this.row, this.col];
      else if (escape === '8') [this.row, this.col] = this.saved;
      else if (command !== undefined) this.csi(question, n === '' ? undefined : Number(n), command);
      else if (char === '\r') this.col = 0;
      else if (char === '\n') {
        this.row += 1;
        this.col = 0;
        this.line();
      } else if (char !== undefined) this.put(char);
    }
  }

  private csi(question: string, n: number | undefined, command: string): void {
    const line = this.line();
    if (question === '?') {
      if (n === 7) this.wrap = command === 'h';
      return;
    }
    if (command === 'K') {
      if (n === 2) line.length = 0;
      else if (n === 1) for (let i = 0; i <= this.col && i < line.length; i++) line[i] = ' ';
      else line.length = Math.min(line.length, this.col);
    } else if (command === 'G') this.col = Math.min(this.width - 1, (n ?? 1) - 1);
    else if (command === 'A') this.row = Math.max(0, this.row - (n ?? 1));
    else if (command === 'B') this.row += n ?? 1;
    else if (command === 'C') this.col = Math.min(this.width - 1, this.col + (n ?? 1));
    else if (command === 'D') this.col = Math.max(0, this.col - (n ?? 1));
    else if (command === 'J') {
      line.length = Math.min(line.length, this.col);
      this.rows.length = this.row + 1;
    }
  }

  private put(char: string): void {
    if (this.col >= this.width) {
      if (this.wrap) {
        this.row += 1;
        this.col = 0;
      } else this.col = this.width - 1;
    }
    const line = this.line();
    while (line.length < this.col) line.push(' ');
    line[this.col] = char;
    this.col += 1;
  }

  text(): string[] {
    const rows = this.rows.map((r) => r.join('').trimEnd());
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }
}

/** Standard output and standard error of one terminal `width` columns wide, as a CLI context sees them. */
function terminal(width: number) {
  const screen = new Screen(width);
  let raw = '';
  const stream = () =>
    Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          raw += chunk.toString();
          screen.write(chunk.toString());
          done();
        },
      }),
      { isTTY: true, columns: width },
    );
  const ctx = createContext({ env: {}, stdout: stream(), stderr: stream() });
  return { ctx, screen, raw: () => raw };
}

/** `line` as a terminal `width` wide shows it: cut into rows. */
const wrapped = (line: string, width: number): string[] => (line.match(new RegExp(`.{1,${width}}`, 'g')) ?? ['']).map((row) => row.trimEnd());

const epochLine = (epoch: number) =>
  `{'loss': ${(1.9 - epoch / 10).toFixed(4)}, 'learning_rate': 0.072821, 'eval_loss': 0.436, 'eval_accuracy': 0.8727, 'eval_precision': 0.88, 'eval_recall': 0.8826, 'eval_f1': 0.87${epoch}, 'epoch': ${epoch}.0}`;

describe('progress bar on a terminal', () => {
  it('keeps every line written while the bar runs, whole and wrapped, above the bar, and draws the bar below them', async () => {
    const { ctx, screen } = terminal(60);
    const progress = stagedProgress(ctx, 'train');
    const warning = 'warning: queue: at its threshold 0.518 its precision on the 790 test rows it routes is 92.9%, under its target';
    progress.update(0, 100, 'read');
    progress.update(100, 100, 'read');
    progress.clearLine();
    ctx.stderr.write('queue: 9 labels; 12 without label (masked)\n');
    progress.clearLine();
    ctx.stderr.write('topic: 14 labels; 40 without label (masked)\n');
    for (let epoch = 1; epoch <= 6; epoch++) {
      progress.update(epoch, 6, `epoch ${epoch}/6`);
      progress.clearLine();
      ctx.stdout.write(`${epochLine(epoch)}\n`);
      if (epoch === 2) {
        progress.clearLine();
        ctx.stderr.write(`${warning}\n`);
      }
    }
    progress.update(6, 6, 'done (stopped early after 6 of 10 epochs)');
    progress.stop();
    ctx.stderr.write('training 3.4 s, run run-1\n');
    await new Promise((resolve) => setImmediate(resolve));

    const bar = (title: string, filled: number, tail: string) => `${title} [${'█'.repeat(filled)}${'░'.repeat(40 - filled)}] ${tail}`.slice(0, 59).trimEnd();
    expect(screen.text()).toEqual([
      // The read stage's bar is the running one while the taxonomy lines come: it ends below them.
      ...wrapped('queue: 9 labels; 12 without label (masked)', 60),
      ...wrapped('topic: 14 labels; 40 without label (masked)', 60),
      bar('train read', 40, '100% 100/100'),
      ...wrapped(epochLine(1), 60),
      ...wrapped(epochLine(2), 60),
      ...wrapped(warning, 60),
      ...wrapped(epochLine(3), 60),
      ...wrapped(epochLine(4), 60),
      ...wrapped(epochLine(5), 60),
      ...wrapped(epochLine(6), 60),
      bar('train epoch', 40, '100% 6/6 done (stopped early after 6 of 10 epochs)'),
      'training 3.4 s, run run-1',
    ]);
  });

  it('draws the bar 80 columns wide on a terminal that reports 0 columns (docker run -t, script without a size)', async () => {
    const { ctx, raw } = terminal(0);
    const progress = createProgress(ctx, 'train clean');
    progress.update(25, 100);
    progress.stop();
    expect(raw()).toContain(`\rtrain clean [${'█'.repeat(10)}${'░'.repeat(30)}] 25% 25/100`);
  });

  it('redraws the bar below a line written while it runs, without waiting for the next update, in one row cut to the width', async () => {
    const { ctx, screen, raw } = terminal(60);
    const progress = createProgress(ctx, 'predict read');
    progress.update(43, 50, 'a very long label that would not fit into the sixty columns of this terminal');
    progress.clearLine();
    ctx.stderr.write('warning: topic: 76 row(s) carry a label the training config retires (paper_statements x76): masked\n');
    await new Promise((resolve) => setImmediate(resolve));
    const rows = screen.text();
    expect(rows.slice(0, 2)).toEqual(wrapped('warning: topic: 76 row(s) carry a label the training config retires (paper_statements x76): masked', 60));
    expect(rows).toHaveLength(3);
    // Cut to the width (less one column, so that the cursor never waits at the edge to wrap): one row.
    expect(rows[2]).toBe(`predict read [${'█'.repeat(34)}${'░'.repeat(6)}] 86% 43/50 a very`.slice(0, 59));
    progress.update(50, 50);
    progress.stop();
    // The bar ends where it was drawn, at 100%, on its own line.
    expect(screen.text().slice(2)).toEqual([`predict read [${'█'.repeat(40)}] 100% 50/50`.slice(0, 59)]);
    // Line wrap is never turned off, the cursor never restored to where the bar began; the cursor is shown again.
    expect(raw()).not.toContain('\x1b[?7l');
    expect(raw()).not.toContain('\x1b8');
    expect(raw().endsWith('\x1b[?25h\n')).toBe(true);
  });

  it('gives the time left at the rate the stage has run, from its fourth second on and until it is done', () => {
    const { ctx, screen } = terminal(100);
    let clock = 1_000_000;
    const progress = createProgress(ctx, 'predict', () => clock);
    progress.update(10, 1000);
    expect(screen.text()).toEqual([`predict [${'░'.repeat(40)}] 1% 10/1000`]);
    // 250 of 1,000 in 5 s: 750 more take 15 s.
    clock += 5000;
    progress.update(250, 1000, 'rows');
    expect(screen.text()).toEqual([`predict [${'█'.repeat(10)}${'░'.repeat(30)}] 25% 250/1000 ETA 15s rows`]);
    // 500 in 200 s: 200 s more.
    clock += 195_000;
    progress.update(500, 1000);
    expect(screen.text()[0]).toMatch(/ 50% 500\/1000 ETA 3m20s$/);
    clock += 1000;
    progress.update(1000, 1000);
    progress.stop();
    expect(screen.text()).toEqual([`predict [${'█'.repeat(40)}] 100% 1000/1000`]);
  });

  it('ends a bar on its own line at stop, and a stop with no bar drawn writes nothing', () => {
    const { ctx, screen, raw } = terminal(60);
    const progress = createProgress(ctx, 'clean');
    progress.stop();
    expect(raw()).toBe('');
    progress.update(1, 4);
    progress.update(4, 4);
    progress.stop();
    progress.stop();
    ctx.stderr.write('cleaned 4 emails\n');
    expect(screen.text()).toEqual([`clean [${'█'.repeat(40)}] 100% 4/4`, 'cleaned 4 emails']);
  });
});

describe('progress in a log (no terminal)', () => {
  it('writes the same bytes as before: a line per tenth, nothing for clearLine and stop', () => {
    const err = captureStream();
    const ctx = createContext({ env: {}, stdout: captureStream().stream, stderr: err.stream });
    const progress = stagedProgress(ctx, 'train');
    progress.update(0, 1000, 'read');
    progress.update(640, 1000, 'read');
    progress.clearLine();
    err.stream.write('queue: 9 labels\n');
    progress.update(1000, 1000, 'read');
    for (let epoch = 1; epoch <= 3; epoch++) {
      progress.update(epoch, 3, `epoch ${epoch}/3`);
      progress.clearLine();
    }
    progress.update(3, 3, 'done (stopped early after 3 of 10 epochs)');
    progress.stop();
    const predict = createProgress(ctx, 'predict');
    predict.update(5, 102, 'clean');
    predict.stop();
    expect(err.text()).toBe(
      'train read: 0% (0/1000)\ntrain read: 64% (640/1000)\nqueue: 9 labels\ntrain read: 100% (1000/1000)\n' +
        'train epoch: 33% (1/3)\ntrain epoch: 66% (2/3)\ntrain epoch: 100% (3/3)\n' +
        'predict: 4% (5/102) clean\n',
    );
  });
});
