/** expect.poll for hooks (vitest allows expect.poll only inside a test). */
export async function pollUntil<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeout = 10_000, interval = 100): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)} ${lastError ? String(lastError) : ''}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
