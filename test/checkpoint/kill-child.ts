// Saves checkpoints to argv[2] in a tight loop until killed: epoch i has every weight equal to i, so a
// reader can tell whether model and meta came from the same save. Prints "ready" after the first one.
import * as tf from '@tensorflow/tfjs';
import { saveCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { makeModel } from './helpers.js';

await tf.setBackend('cpu');
const dir = process.argv[2];
const model = makeModel(1);
const adam = tf.train.adam(0.01);
for (let epoch = 1; ; epoch++) {
  model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, epoch)));
  await saveCheckpoint(dir, { model, optimizer: epoch % 2 === 0 ? adam : undefined, meta: { epoch } });
  if (epoch === 1) process.stdout.write('ready\n');
}
