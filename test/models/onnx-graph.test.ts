import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { onnxBias, onnxGateMatrix, onnxModel } from '../../src/models/onnx-graph.js';
import { decodeModel } from '../../src/models/onnx-proto.js';
import { taskOf } from '../../src/task/index.js';
import { buildCase, caseInputs, CASES, maxAbsDiff, referenceOutputs, type ModelCase } from '../export/helpers.js';

before(() => tf.setBackend('cpu'));

test("a kernel's gate blocks i, f, c, o become ONNX's rows i, o, f, c, transposed", () => {
  // kernel [rows 2, 4H = 4] (H = 1): row r, block g holds 10·r + g
  const kernel = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
  // ONNX [4H, rows]: rows i (0), o (3), f (1), c (2)
  assert.deepEqual(Array.from(onnxGateMatrix(kernel, 2, 1)), [0, 10, 3, 13, 1, 11, 2, 12]);
  assert.deepEqual(Array.from(onnxBias(Float32Array.from([1, 2, 3, 4]), 1)), [1, 4, 2, 3, 0, 0, 0, 0]);
});

async function runOnnx(bytes: Uint8Array, c: ModelCase, inputs: ReturnType<typeof caseInputs>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {
    x: new ort.Tensor('float32', inputs.x, [inputs.batch, c.shape.steps, c.shape.features]),
  };
  if (inputs.mask) feeds.mask = new ort.Tensor('float32', inputs.mask, [inputs.batch, c.shape.steps]);
  const out = await session.run(feeds);
  await session.release();
  return out[session.outputNames[0]].data as Float32Array;
}

for (const c of CASES)
  test(`ONNX Runtime gives the checkpoint model's outputs to 1e-5: ${c.name}`, async () => {
    const model = buildCase(c);
    const inputs = caseInputs(c);
    const bytes = onnxModel(model, c.model, c.shape, taskOf(c.task).head, { preprocess: '{}' });
    const expected = referenceOutputs(model, c, inputs);
    const actual = await runOnnx(bytes, c, inputs);
    assert.equal(actual.length, inputs.batch * c.shape.outputSize);
    const worst = maxAbsDiff(actual, expected);
    assert.ok(worst <= 1e-5, `max |ONNX − tfjs| ${worst}`);
    model.dispose();
  });

test('the graph uses the standard LSTM operator and carries the preprocessing as metadata', () => {
  const c = CASES.find((k) => k.shape.masked && k.model.bidirectional)!;
  const model = buildCase(c);
  const decoded = decodeModel(
    onnxModel(model, c.model, c.shape, taskOf(c.task).head, { preprocess: '{"a":1}' }),
  ) as any;
  model.dispose();
  const ops = decoded.graph.node.map((n: any) => n.opType);
  assert.deepEqual(ops.filter((o: string) => o === 'LSTM').length, c.model.layers);
  assert.ok(ops.includes('Softmax') && ops.includes('Gemm'));
  assert.deepEqual(
    decoded.graph.input.map((i: any) => i.name),
    ['x', 'mask'],
  );
  const lstm = decoded.graph.node.find((n: any) => n.opType === 'LSTM');
  assert.equal(lstm.input[4], 'sequence_lens');
  const direction = lstm.attribute.find((a: any) => a.name === 'direction');
  assert.equal(new TextDecoder().decode(direction.s), 'bidirectional');
  assert.deepEqual(decoded.metadataProps, [{ key: 'preprocess', value: '{"a":1}' }]);
  assert.equal(decoded.irVersion, 8);
});

test('rawHead leaves the Softmax out: the graph gives the tfjs model’s logits (what lstm-predict --runtime onnx runs)', async () => {
  const c = CASES.find((k) => k.task === 'classify' && k.shape.masked)!;
  const model = buildCase(c);
  const inputs = caseInputs(c);
  const bytes = onnxModel(model, c.model, c.shape, taskOf(c.task).head, {}, { rawHead: true });
  const ops = (decodeModel(bytes) as any).graph.node.map((n: any) => n.opType);
  assert.ok(!ops.includes('Softmax'));
  const logits = tf.tidy(() => {
    const x = tf.tensor3d(inputs.x, [inputs.batch, c.shape.steps, c.shape.features]);
    const mask = tf.tensor2d(inputs.mask!, [inputs.batch, c.shape.steps]);
    return (model.predict([x, mask]) as tf.Tensor).dataSync() as Float32Array;
  });
  const worst = maxAbsDiff(await runOnnx(bytes, c, inputs), logits);
  assert.ok(worst <= 1e-5, `max |ONNX − tfjs| ${worst}`);
  model.dispose();
});
