// A loss that becomes NaN stops training with a clear error, and the last good checkpoint stays loadable.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.js';
import { parseConfig, resolvePaths } from '../../src/config/load.js';
import { prepare } from '../../src/train/prepare.js';
import { trainRun } from '../../src/train/run.js';
import { loadModelCheckpoint } from '../../src/checkpoint/model-checkpoint.js';
import { TrainingError } from '../../src/errors.js';
import { smallForecastConfig, tempDir } from '../cli/helpers.js';

before(async () => {
  await selectBackend('wasm');
});

test('NaN in the loss stops the run at that batch; checkpoints/last keeps the last good epoch', async () => {
  const out = tempDir('lstm-nan-');
  const config = resolvePaths(
    parseConfig(smallForecastConfig({ train: { epochs: 5, batchSize: 256, earlyStopping: { patience: 0 } } }), 'test'),
    out,
  );
  const prepared = await prepare(config);
  // corrupt the training data from the 2nd epoch's 3rd batch on, as an overflowing feature would
  const train = prepared.dataset.splits.train;
  const batchesPerEpoch = Math.ceil(train.size / 256);
  const realBatch = train.batch.bind(train);
  let calls = 0;
  train.batch = (indices) => {
    const b = realBatch(indices);
    if (++calls > batchesPerEpoch + 2) b.x.fill(NaN);
    return b;
  };
  await assert.rejects(
    trainRun(prepared, { backend: tf.getBackend(), outDir: out }),
    (e: Error) =>
      e instanceof TrainingError &&
      /the training loss became NaN at epoch 2, batch 3; the last good checkpoint is kept/.test(e.message),
  );
  const run = join(out, readdirSync(out)[0]);
  const last = await loadModelCheckpoint(join(run, 'checkpoints', 'last'));
  assert.equal(last.card.epoch, 1);
  last.model.dispose();
  prepared.model.dispose();
});
