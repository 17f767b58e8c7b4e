// Concurrent requests in one forward pass: the model runs the windows of every call that arrived within `waitMs` of
// the first (or while the previous pass ran), stacked along the batch axis up to `maxBatch`, and each call gets its
// own rows of the outputs back. Passes run one at a time.
import type { Run } from '../export/runtime/predict.js';

export interface BatchOptions {
  /** windows per pass at most (a call with more runs alone) */
  maxBatch: number;
  /** how long the first call of a pass waits for others, in ms (0: no wait) */
  waitMs: number;
  /** after each pass: its windows and calls, and how long the model took in seconds */
  onPass?: (pass: { windows: number; calls: number; seconds: number }) => void;
}

interface Call {
  x: Float32Array;
  mask?: Float32Array;
  /** [batch, steps, features] */
  shape: [number, number, number];
  resolve(out: Float32Array): void;
  reject(e: unknown): void;
}

export function batchedRun(run: Run, o: BatchOptions): Run {
  const queue: Call[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const next = () => {
    if (running || queue.length === 0) return;
    const queued = queue.reduce((n, c) => n + c.shape[0], 0);
    if (queued >= o.maxBatch || o.waitMs <= 0) void pass();
    else timer ??= setTimeout(() => void pass(), o.waitMs);
  };

  /** Whole calls from the queue's front, up to maxBatch windows (at least one call), all of the first's shape. */
  const take = (): Call[] => {
    const taken = [queue.shift()!];
    const [first, like] = [taken[0], (c: Call) => c.shape[1] === first.shape[1] && c.shape[2] === first.shape[2]];
    const alike = (c: Call) => like(c) && (c.mask === undefined) === (first.mask === undefined);
    let windows = first.shape[0];
    for (let i = 0; i < queue.length && windows < o.maxBatch;) {
      if (alike(queue[i]) && windows + queue[i].shape[0] <= o.maxBatch) {
        windows += queue[i].shape[0];
        taken.push(...queue.splice(i, 1));
      } else i++;
    }
    return taken;
  };

  const pass = async () => {
    clearTimeout(timer);
    timer = undefined;
    running = true;
    const calls = take();
    const [, steps, features] = calls[0].shape;
    const windows = calls.reduce((n, c) => n + c.shape[0], 0);
    let seconds: number | undefined;
    try {
      const x = new Float32Array(windows * steps * features); // [windows, steps, features]
      const mask = calls[0].mask ? new Float32Array(windows * steps) : undefined; // [windows, steps]
      let at = 0;
      for (const c of calls) {
        x.set(c.x, at * steps * features);
        if (mask && c.mask) mask.set(c.mask, at * steps);
        at += c.shape[0];
      }
      const started = performance.now();
      const out = await run(x, mask, [windows, steps, features]); // [windows, outputs] flat
      seconds = (performance.now() - started) / 1000;
      const width = out.length / windows;
      at = 0;
      for (const c of calls) {
        c.resolve(out.slice(at * width, (at + c.shape[0]) * width));
        at += c.shape[0];
      }
    } catch (e) {
      for (const c of calls) c.reject(e);
    } finally {
      if (seconds !== undefined) o.onPass?.({ windows, calls: calls.length, seconds });
      running = false;
      // the calls that queued during this pass have waited already
      if (queue.length > 0) void pass();
    }
  };

  return (x, mask, shape) =>
    new Promise<Float32Array>((resolve, reject) => {
      queue.push({ x, mask, shape, resolve, reject });
      next();
    });
}
