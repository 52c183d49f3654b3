import pino, { type Logger } from 'pino';

export interface ServerLog {
  log: Logger;
  /**
   * Writes out what is still buffered, waiting at most `ms`, and lets go of the destination. After
   * it, exiting cannot hang on the log: pino's exit hook would otherwise try to write the rest
   * synchronously, and it retries that forever when the reader of stdout went away or stopped reading.
   */
  close: (ms: number) => Promise<void>;
}

/** The server's log: JSON lines on stdout, written without blocking the event loop. */
export function openServerLog(level: string): ServerLog {
  // A reader that stops reading makes lines wait in memory; past this many bytes they are dropped.
  const destination = pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 });
  // A destination that fails (stdout closed, EPIPE) loses its lines, and nothing else: unheard, the error would end the process.
  destination.on('error', () => {});
  return {
    log: pino({ level }, destination),
    close: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // Still writing (the reader is stuck, or gone and end() was disarmed): the rest is dropped.
          destination.destroy();
          resolve();
        }, ms);
        destination.once('close', () => (clearTimeout(timer), resolve()));
        destination.end();
      }),
  };
}
