/**
 * A virtual X display for headed Chromium (the panel inside real DevTools).
 * Starts its own `Xvfb` on a free display number (`-displayfd`: the server
 * picks the number and writes it back once it accepts connections), so
 * `npm test` needs no `xvfb-run` around it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface VirtualDisplay {
  /** The value for DISPLAY, e.g. ":99". */
  display: string;
  close(): Promise<void>;
}

const XVFB = process.env.XVFB_PATH ?? 'Xvfb';

export async function startXvfb(screen = '1400x900x24', timeoutMs = 20_000): Promise<VirtualDisplay> {
  if (spawnSync('sh', ['-c', `command -v ${XVFB}`]).status !== 0) {
    throw new Error(`${XVFB} is not installed: the real-DevTools e2e test needs a virtual display (Debian: apt-get install -y xvfb xauth)`);
  }
  // fd 3 is a pipe: Xvfb writes the display number there when it is ready.
  const child: ChildProcess = spawn(XVFB, ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb gave no display within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    const pipe = child.stdio[3] as NodeJS.ReadableStream | null;
    pipe?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\n/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve(`:${match[1]}`);
    });
    child.once('error', (error) => fail(new Error(`Xvfb did not start: ${String(error)}`)));
    child.once('exit', (code) => fail(new Error(`Xvfb exited (${String(code)}) before giving a display: ${stderr}`)));
  });
  return {
    display,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
