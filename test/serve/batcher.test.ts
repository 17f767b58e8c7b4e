// The batcher on a real tfjs model: concurrent calls share forward passes of at most maxBatch windows, and each
// call gets exactly the outputs its own pass would give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { tfjsRunner } from '../../src/export/runtime/predict.js';
import { batchedRun } from '../../src/serve/batcher.js';
import { buildCase, CASES, caseInputs, maxAbsDiff } from '../export/helpers.js';

test('batchedRun: concurrent calls share passes up to maxBatch, each gets its own outputs (plain and masked)', async () => {
  for (const c of [CASES.find((k) => k.task === 'forecast')!, CASES.find((k) => k.shape.masked)!]) {
    const model = buildCase(c);
    const run = tfjsRunner(tf, model);
    const { steps, features } = c.shape;
    const inputs = caseInputs(c); // 5 windows
    const calls = [1, 2, 1, 1, 3, 2].map((size, i) => {
      const from = i % 3;
      return {
        x: inputs.x.slice(from * steps * features, (from + size > 5 ? 5 : from + size) * steps * features),
        mask: inputs.mask?.slice(from * steps, Math.min(5, from + size) * steps),
      };
    });
    const alone = await Promise.all(
      calls.map((k) => run(k.x, k.mask, [k.x.length / (steps * features), steps, features])),
    );
    const passes: number[] = [];
    const batched = batchedRun(run, { maxBatch: 4, waitMs: 5, onPass: (p) => passes.push(p.windows) });
    const together = await Promise.all(
      calls.map((k) => batched(k.x, k.mask, [k.x.length / (steps * features), steps, features])),
    );
    together.forEach((out, i) => assert.ok(maxAbsDiff(out, alone[i]) < 1e-6, `${c.name}: call ${i}`));
    assert.equal(
      passes.reduce((a, b) => a + b, 0),
      calls.reduce((n, k) => n + k.x.length / (steps * features), 0),
    );
    assert.ok(passes.length < calls.length, `${c.name}: ${passes.length} passes for ${calls.length} calls`);
    assert.ok(Math.max(...passes) <= 4, `${c.name}: passes of ${passes.join(', ')} windows`);
    model.dispose();
  }
});

test('batchedRun: a pass that fails rejects its own calls only; the next pass runs', async () => {
  let n = 0;
  const run = (x: Float32Array) =>
    n++ === 0 ? Promise.reject(new Error('the first pass fails')) : Promise.resolve(x.map((v) => 2 * v));
  const batched = batchedRun(run, { maxBatch: 2, waitMs: 0 });
  const one = (v: number) => batched(Float32Array.of(v), undefined, [1, 1, 1]);
  const results = await Promise.allSettled([one(1), one(2), one(3)]);
  assert.equal(results[0].status, 'rejected');
  assert.deepEqual(
    results.slice(1).map((r) => (r.status === 'fulfilled' ? Array.from(r.value) : r.reason)),
    [[4], [6]],
  );
});

test('batchedRun: a call larger than maxBatch runs alone; calls with and without a mask never share a pass', async () => {
  const passes: number[] = [];
  const masks: boolean[] = [];
  const run = (x: Float32Array, mask: Float32Array | undefined) => {
    masks.push(mask !== undefined);
    return Promise.resolve(x.map((v) => v + 1));
  };
  const batched = batchedRun(run, { maxBatch: 2, waitMs: 5, onPass: (p) => passes.push(p.windows) });
  const call = (values: number[], masked: boolean) =>
    batched(Float32Array.from(values), masked ? new Float32Array(values.length).fill(1) : undefined, [
      values.length,
      1,
      1,
    ]);
  const out = await Promise.all([call([1, 2, 3], false), call([4], true), call([5], false), call([6], true)]);
  assert.deepEqual(
    out.map((o) => Array.from(o)),
    [[2, 3, 4], [5], [6], [7]],
  );
  assert.equal(passes[0], 3, 'the large call alone');
  assert.deepEqual(passes.slice(1).sort(), [1, 2], 'the two masked calls together, the unmasked one alone');
  assert.deepEqual(masks, [false, true, false]);
});
