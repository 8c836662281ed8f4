import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AFTER_NAVIGATION_MS, HarSweeper, SWEEP_DELAY_MS } from '../../src/devtools/har-sweeper.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('HarSweeper', () => {
  it('coalesces a burst of requests into one sweep', async () => {
    const sweep = vi.fn(async () => {});
    const sweeper = new HarSweeper(sweep);
    for (let i = 0; i < 10; i++) sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    expect(sweep).toHaveBeenCalledTimes(1);
  });

  it('runs one sweep at a time and once more for requests made while one ran', async () => {
    let release!: () => void;
    let running = 0;
    let most = 0;
    const sweep = vi.fn(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (release = resolve));
      running--;
    });
    const sweeper = new HarSweeper(sweep);
    sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    expect(sweep).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sweep).toHaveBeenCalledTimes(2);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sweep).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('after a navigation sweeps at once and a bounded number of times while the page settles', async () => {
    const sweep = vi.fn(async () => {});
    const sweeper = new HarSweeper(sweep);
    sweeper.afterNavigation();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    expect(sweep).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(Math.max(...AFTER_NAVIGATION_MS) * 4);
    expect(sweep).toHaveBeenCalledTimes(1 + AFTER_NAVIGATION_MS.length);
  });

  it('a new navigation replaces the pending sweeps of the last one', async () => {
    const sweep = vi.fn(async () => {});
    const sweeper = new HarSweeper(sweep);
    sweeper.afterNavigation();
    sweeper.afterNavigation();
    await vi.advanceTimersByTimeAsync(Math.max(...AFTER_NAVIGATION_MS) * 4);
    expect(sweep).toHaveBeenCalledTimes(1 + AFTER_NAVIGATION_MS.length);
  });

  it('keeps sweeping after a sweep throws', async () => {
    const sweep = vi.fn(async () => {
      throw new Error('getHAR failed');
    });
    const sweeper = new HarSweeper(sweep);
    sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    sweeper.soon();
    await vi.advanceTimersByTimeAsync(SWEEP_DELAY_MS);
    expect(sweep).toHaveBeenCalledTimes(2);
  });
});
