/**
 * When to read DevTools' network log (getHAR) again: one sweep at a time,
 * requests for a sweep coalesce, and after a navigation a few sweeps follow at
 * growing intervals, because a fetch the new page starts while loading is
 * never announced by onRequestFinished (Chrome 156) and may be the last
 * request the page makes.
 */
/** Quiet time before a requested sweep runs (events come in bursts). */
export const SWEEP_DELAY_MS = 250;
/** Sweeps after a navigation, in ms after it: bounded, then only events trigger sweeps. */
export const AFTER_NAVIGATION_MS = [1_000, 2_500, 5_000, 10_000, 20_000] as const;

export interface SweepTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: SweepTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class HarSweeper {
  private running = false;
  private again = false;
  private debounce: unknown;
  private navigationTimers: unknown[] = [];

  constructor(private readonly sweep: () => Promise<void>, private readonly timers: SweepTimers = realTimers) {}

  /** A sweep shortly (coalesced with other requests for one). */
  soon(): void {
    if (this.debounce !== undefined) this.timers.clearTimeout(this.debounce);
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = undefined;
      void this.run();
    }, SWEEP_DELAY_MS);
  }

  /** The inspected tab navigated: sweep now and a few times while the new page settles. */
  afterNavigation(): void {
    for (const handle of this.navigationTimers) this.timers.clearTimeout(handle);
    this.navigationTimers = AFTER_NAVIGATION_MS.map((ms) => this.timers.setTimeout(() => void this.run(), ms));
    this.soon();
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        try {
          await this.sweep();
        } catch {
          // One failed read of the log must not stop later ones.
        }
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
