// The shipped configs train well with every implementation: builtin and hand, uni and bi, 1 and 2 layers.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfig } from '../../src/config/load.js';
import { selectBackend } from '../../src/backend/select.js';
import { prepare } from '../../src/train/prepare.js';
import { trainRun } from '../../src/train/run.js';
import { tempDir } from '../cli/helpers.js';
import type { Config } from '../../src/config/schema.js';

before(async () => {
  await selectBackend('wasm');
});

const variants = [
  { impl: 'builtin', bidirectional: false, layers: 1 },
  { impl: 'builtin', bidirectional: true, layers: 1 },
  { impl: 'builtin', bidirectional: false, layers: 2 },
  { impl: 'builtin', bidirectional: true, layers: 2 },
  { impl: 'hand', bidirectional: false, layers: 1 },
  { impl: 'hand', bidirectional: true, layers: 1 },
  { impl: 'hand', bidirectional: false, layers: 2 },
  { impl: 'hand', bidirectional: true, layers: 2 },
] as const;

for (const name of ['forecast', 'classify']) {
  for (const v of variants) {
    const label = `${v.impl}${v.bidirectional ? '-bi' : ''} ×${v.layers}`;
    test(`configs/${name}.json trains to a val loss well below the first epoch's: ${label}`, async () => {
      const shipped = loadConfig(join(import.meta.dirname, '../../configs', `${name}.json`));
      // the shipped config with fewer epochs, larger batches and a smaller model, to keep the suite fast
      const config: Config = {
        ...shipped,
        // the LSTM alone: a forecaster's linear skip starts at the ridge fit, where the first epoch is already low
        model: { ...shipped.model, ...v, hiddenSize: 16, linearSkip: false },
        train: {
          ...shipped.train,
          epochs: 4,
          batchSize: 128,
          learningRate: 0.01,
          earlyStopping: { patience: 0, minDelta: 0 },
        },
      };
      const prepared = await prepare(config);
      const tensorsAtEpochEnd: number[] = [];
      const result = await trainRun(prepared, {
        backend: tf.getBackend(),
        outDir: tempDir('lstm-conv-'),
        onEvent: (e) => e.type === 'epochEnd' && tensorsAtEpochEnd.push(tf.memory().numTensors),
      });
      prepared.model.dispose();
      const h = result.state.history;
      assert.equal(h.length, 4);
      assert.ok(h[3].valLoss < 0.5 * h[0].valLoss, `val loss ${h.map((r) => r.valLoss.toFixed(4)).join(' → ')}`);
      // no tensor leaks: the live tensor count is the same after every epoch
      assert.deepEqual(
        tensorsAtEpochEnd,
        tensorsAtEpochEnd.map(() => tensorsAtEpochEnd[0]),
        `live tensors per epoch: ${tensorsAtEpochEnd}`,
      );
    });
  }
}
