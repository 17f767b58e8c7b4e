import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileHandler } from '../../src/checkpoint/io-handler.js';
import { plainModel } from '../../src/export/tfjs-model.js';
import { taskOf } from '../../src/task/index.js';
import { ROOT, tempDir } from '../cli/helpers.js';
import { buildCase, caseInputs, CASES, maxAbsDiff, referenceOutputs } from './helpers.js';

before(() => tf.setBackend('cpu'));

const STANDARD = new Set([
  'Flatten',
  'Add',
  'InputLayer',
  'LSTM',
  'Bidirectional',
  'Dense',
  'Dropout',
  'Reshape',
  'Multiply',
  'Concatenate',
  'Masking',
  'Average',
  'Activation',
]);

/** In a Node process that imports @tensorflow/tfjs alone (none of our layer classes): each model's outputs. */
const PLAIN_NODE = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
const jobs = JSON.parse(readFileSync(process.argv[1], 'utf8'));
const results = [];
for (const job of jobs) {
  const json = JSON.parse(readFileSync(join(job.dir, 'model.json'), 'utf8'));
  const weightData = new Uint8Array(readFileSync(join(job.dir, 'weights.bin'))).buffer;
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
  const x = tf.tensor3d(job.x, job.shape);
  const out = model.predict(job.mask ? [x, tf.tensor2d(job.mask, job.shape.slice(0, 2))] : x);
  results.push(Array.from(await out.data()));
}
console.log(JSON.stringify(results));
`;

test('the plain tfjs model gives the checkpoint model’s outputs, and loads in a process that has none of our classes', async () => {
  const scratch = tempDir('lstm-export-plain-');
  const jobs = [];
  const expected: Float32Array[] = [];
  for (const [i, c] of CASES.entries()) {
    const model = buildCase(c);
    const inputs = caseInputs(c);
    const plain = plainModel(model, c.model, c.shape, taskOf(c.task).head);
    const reference = referenceOutputs(model, c, inputs);
    const here = tf.tidy(() => {
      const x = tf.tensor3d(inputs.x, [inputs.batch, c.shape.steps, c.shape.features]);
      const given = inputs.mask ? [x, tf.tensor2d(inputs.mask, [inputs.batch, c.shape.steps])] : x;
      return (plain.predict(given) as tf.Tensor).dataSync();
    });
    assert.ok(
      maxAbsDiff(here, reference) <= 1e-5,
      `${c.name}: max |plain − checkpoint| ${maxAbsDiff(here, reference)}`,
    );
    const dir = join(scratch, String(i));
    await plain.save(fileHandler(dir));
    const classes = (
      JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology.config.layers as any[]
    ).map((l) => l.class_name);
    assert.deepEqual(
      classes.filter((k) => !STANDARD.has(k)),
      [],
      `${c.name}: layer classes`,
    );
    jobs.push({
      dir,
      x: Array.from(inputs.x),
      mask: inputs.mask && Array.from(inputs.mask),
      shape: [inputs.batch, c.shape.steps, c.shape.features],
    });
    expected.push(reference);
    model.dispose();
    plain.dispose();
  }
  const jobsFile = join(scratch, 'jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PLAIN_NODE, jobsFile], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  const results = JSON.parse(child.stdout.trim().split('\n').pop()!) as number[][];
  CASES.forEach((c, i) =>
    assert.ok(
      maxAbsDiff(results[i], expected[i]) <= 1e-5,
      `${c.name} in plain tfjs: ${maxAbsDiff(results[i], expected[i])}`,
    ),
  );
});

test('a padded step does not count, whatever its features hold: the mask travels as a feature of its own', () => {
  const c = CASES.find((k) => k.shape.masked && k.model.impl === 'hand')!;
  const model = buildCase(c);
  const plain = plainModel(model, c.model, c.shape, taskOf(c.task).head);
  const inputs = caseInputs(c);
  const noisy = Float32Array.from(inputs.x, (v, k) => (inputs.mask![Math.floor(k / c.shape.features)] ? v : 5 + k));
  const run = (x: Float32Array) =>
    tf.tidy(() =>
      (
        plain.predict([
          tf.tensor3d(x, [inputs.batch, c.shape.steps, c.shape.features]),
          tf.tensor2d(inputs.mask!, [inputs.batch, c.shape.steps]),
        ]) as tf.Tensor
      ).dataSync(),
    );
  assert.ok(maxAbsDiff(run(noisy), run(inputs.x)) <= 1e-6);
  // a real step whose scaled features are all 0 still counts (Masking(0) on x alone would drop it)
  const zeroed = Float32Array.from(inputs.x);
  zeroed.fill(0, 0, c.shape.features); // the first step of the first (full-length) sequence
  const withMask = run(zeroed);
  const reference = referenceOutputs(model, c, { ...inputs, x: zeroed });
  assert.ok(maxAbsDiff(withMask, reference) <= 1e-5);
  model.dispose();
  plain.dispose();
});
