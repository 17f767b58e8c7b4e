// The gates lstm-eval --gates shows come from the equations fed with the model's own weights: their h must be the
// model's own LSTM output, for builtin and hand, uni- and bidirectional, stacked, on a padded (masked) batch.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, modelInputs } from '../../src/models/build.js';
import { traceModel } from '../../src/models/gate-trace.js';
import { layerSequence, lstmLayerInput, lstmLayers } from '../../src/models/layer-probe.js';
import { Rng } from '../../src/util/rng.js';
import { assertClose, FORWARD_ATOL, modelConfig, raggedMask, randn, useCpu } from './helpers.js';

before(useCpu);

const shape = { steps: 7, features: 3, outputSize: 2, masked: true };
const lastStep = (t: tf.Tensor3D, step: number) => tf.squeeze(tf.slice(t, [0, step, 0], [-1, 1, -1]), [1]);

for (const impl of ['builtin', 'hand'] as const)
  for (const bidirectional of [false, true])
    for (const kernel of impl === 'hand' ? (['fused', 'reference'] as const) : (['reference'] as const)) {
      const name = `${impl}${impl === 'hand' ? ` (${kernel})` : ''}, ${bidirectional ? 'bi' : 'uni'}`;
      test(`${name}, 2 layers, masked: the traced h is the model's own LSTM output to 1e-5, padding included`, () => {
        const model = buildModel(
          modelConfig({ impl, kernel, bidirectional, layers: 2, hiddenSize: 5, dropout: 0.3 }),
          shape,
          3,
        );
        const x = randn(new Rng(8), [4, shape.steps, shape.features]);
        const mask = raggedMask([7, 3, 5, 1], shape.steps);
        const inputs = modelInputs(model, x, mask);
        const traces = traceModel(model, inputs, mask);
        assert.deepEqual(
          traces.map((t) => `${t.layer} ${t.direction}`),
          bidirectional ? ['1 forward', '1 backward', '2 forward', '2 backward'] : ['1 forward', '2 forward'],
        );
        lstmLayers(model).forEach((layer, k) => {
          const [fw, bw] = traces.filter((t) => t.layer === k + 1);
          const ours = bw ? tf.concat([fw.trace.h, bw.trace.h], 2) : fw.trace.h; // [batch, time, H × directions]
          // every step, from a copy of the layer itself with returnSequences on
          const sequence = layerSequence(layer, lstmLayerInput(model, k, inputs), mask);
          assertClose(ours, sequence, FORWARD_ATOL, `layer ${k + 1}: h at every step`);
          // and what the layer really hands on inside the model (the last one: its final step only)
          const own = tf.model({ inputs: model.inputs, outputs: layer.output }).predict(inputs);
          const handed =
            k === 0 ? ours : bw ? tf.concat([lastStep(fw.trace.h, 6), lastStep(bw.trace.h, 0)], 1) : lastStep(ours, 6);
          assertClose(handed, own as tf.Tensor, FORWARD_ATOL, `layer ${k + 1}: the model's own output`);
          for (const t of [fw, bw]) if (t) assert.ok(t.trace.f.dataSync().every((v) => v > 0 && v < 1));
        });
        traces.forEach((t) => tf.dispose(Object.values(t.trace)));
        model.dispose();
      });
    }
