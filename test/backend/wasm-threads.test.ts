// tfjs's threaded wasm build, started by us under Node, computes what its single-threaded build does.
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.js';
import { lstmFused } from '../../src/models/lstm-fused.js';
import { sequenceThreads, simdCellInUse } from '../../src/backend/wasm-lstm-sequence.js';
import { Rng } from '../../src/util/rng.js';

/** A masked fused LSTM's outputs, last h and c, and the gradients (through all three) w.r.t. x and every weight. */
function lstmWithGradients(seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const [batch, time, input, hidden] = [13, 9, 5, 24]; // chunks of 4 rows and 1, taken by this thread and a row worker
  const randn = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal() * 0.5),
      shape,
    );
  return tf.tidy(() => {
    const x = randn([batch, time, input]) as tf.Tensor3D;
    const mask = tf.tensor2d(
      Array.from({ length: batch * time }, (_, k) => (k % time < time - (k % 3) ? 1 : 0)),
      [batch, time],
    );
    const w = {
      kernel: randn([input, 4 * hidden]) as tf.Tensor2D,
      recurrentKernel: randn([hidden, 4 * hidden]) as tf.Tensor2D,
      bias: randn([4 * hidden]) as tf.Tensor1D,
    };
    const probes = [randn([batch, time, hidden]), randn([batch, hidden]), randn([batch, hidden])];
    const run = (xs: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D) => {
      const r = lstmFused(xs, { kernel, recurrentKernel, bias }, mask);
      return [r.outputs, r.h, r.c];
    };
    const values = run(x, w.kernel, w.recurrentKernel, w.bias);
    const grads = tf.grads((xs, k, r, b) =>
      tf.addN(
        run(xs as tf.Tensor3D, k as tf.Tensor2D, r as tf.Tensor2D, b as tf.Tensor1D).map((t, i) =>
          tf.sum(tf.mul(t, probes[i])),
        ),
      ),
    )([x, w.kernel, w.recurrentKernel, w.bias]);
    return [...values, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

/** A tensor far larger than the 16 MB the heap starts with, sliced by our Slice kernel after the heap grew. */
function sliceAfterGrowth(): number[] {
  return tf.tidy(() => {
    const big = tf.range(0, 12_000_000, 1, 'float32').reshape([3000, 4000]); // 48 MB
    return Array.from(tf.slice(big, [2999, 3990], [1, 10]).dataSync());
  });
}

after(async () => {
  await selectBackend('wasm', 'fixed', 1);
});

test('the threaded wasm build runs on 2 and 3 threads (XNNPACK and LSTM row workers) and gives the single-threaded results to the bit', async () => {
  const single = await selectBackend('wasm', 'fixed', 1);
  assert.equal(single.wasmThreads, 1);
  const expected = lstmWithGradients(11);
  const names = ['outputs', 'h', 'c', 'gradient of x', 'of the kernel', 'of the recurrent kernel', 'of the bias'];
  const same = (actual: Float32Array[], what: string) => {
    assert.equal(actual.length, expected.length);
    actual.forEach((a, k) => {
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[k][i]));
      assert.equal(worst, 0, `${names[k]}: ${what} differs by ${worst}`);
    });
  };
  // 3 threads: two workers race for the chunks; back to 2: the old row workers stopped, new ones start
  for (const threads of [2, 3, 2]) {
    const threaded = await selectBackend('wasm', 'fixed', threads);
    assert.deepEqual([threaded.name, threaded.wasmThreads], ['wasm', threads]);
    assert.equal(
      simdCellInUse(tf.backend(), 24),
      true,
      'the SIMD cell built for shared memory runs on the threaded build',
    );
    assert.equal(sequenceThreads(tf.backend()), threads, 'an LSTM sequence runs on this thread and the row workers');
    same(lstmWithGradients(11), `${threads} threads`);
  }
  assert.deepEqual(
    sliceAfterGrowth(),
    Array.from({ length: 10 }, (_, j) => 2999 * 4000 + 3990 + j),
  );
  same(lstmWithGradients(11), 'threaded, after the heap grew'); // the SIMD cell sees the grown memory too
});

test('a process on the threaded build exits by itself when its work is done', () => {
  // The pool's idle workers, and the LSTM's row workers waiting for work, must not keep Node alive (emscripten
  // references running pthreads).
  const src = (file: string) => JSON.stringify(new URL(`../../src/${file}`, import.meta.url).href);
  const script = `import { selectBackend } from ${src('backend/select.ts')};
    import { lstmFused } from ${src('models/lstm-fused.ts')};
    const b = await selectBackend('wasm', 'fixed', 2); const tf = await import('@tensorflow/tfjs');
    const w = { kernel: tf.ones([3, 32]), recurrentKernel: tf.ones([8, 32]), bias: tf.zeros([32]) };
    const h = lstmFused(tf.zeros([16, 4, 3]), w).h;
    console.log(b.wasmThreads, tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0], h.shape.join('x'));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.signal, null, 'the process had to be killed: it did not exit by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2 64 16x8');
});
