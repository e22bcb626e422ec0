/** How often a long loop gives the event loop a turn (a signal handler, a progress timer runs then). */
export const TURN_MS = 50;
/** How long a stage runs before its progress is reported: a stage of a second or less is not worth a bar. */
export const REPORT_AFTER_MS = 1000;

export interface LoopTurnsOptions {
  /** Checked at each turn: an abort ends the loop with its reason. */
  signal?: AbortSignal | undefined;
  /** With `label`: the loop's progress, every 5% once it has run `reportAfterMs` (`always`: from the start). */
  onProgress?: ((done: number, total: number, label: string) => void) | undefined;
  label?: string;
  always?: boolean;
  reportAfterMs?: number;
  everyMs?: number;
}

/**
 * A long synchronous loop made stoppable: call `due(done)` after each unit (cheap: a clock read), and `await
 * turn()` when it says so. Every `everyMs` of work the event loop gets a turn (a Ctrl-C handler can run) and the
 * signal is checked; the progress is reported as the other stages report theirs, every 5%, once the loop has
 * taken long enough to be worth it. The units' arithmetic is not changed: only when the loop pauses.
 */
export class LoopTurns {
  private readonly started = performance.now();
  private last = this.started;
  private reporting: boolean;
  private readonly step: number;
  private nextReport: number;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly options: LoopTurnsOptions = {},
  ) {
    this.step = Math.max(1, Math.floor(total / 20));
    this.nextReport = this.step;
    this.reporting = options.always === true;
  }

  /**
   * After unit `done` (1-based) of `total`, or the next unit when not given: reports the progress when a 5% step is
   * reached; true when a turn is due.
   */
  due(done: number = this.done + 1): boolean {
    this.done = done;
    const now = performance.now();
    if (done >= this.nextReport || done === this.total) {
      this.nextReport = (Math.floor(done / this.step) + 1) * this.step;
      if (!this.reporting && now - this.started >= (this.options.reportAfterMs ?? REPORT_AFTER_MS)) this.reporting = true;
      if (this.reporting && this.options.label !== undefined) this.options.onProgress?.(Math.min(done, this.total), this.total, this.options.label);
    }
    return now - this.last >= (this.options.everyMs ?? TURN_MS);
  }

  /** `units` more done at once (a step of its own): reported when due; true when a turn is due. */
  advance(units: number): boolean {
    return this.due(this.done + units);
  }

  /** A turn for the event loop, then the signal checked (rejects with its reason when aborted). */
  async turn(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
    this.options.signal?.throwIfAborted();
  }
}
