import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { loadOnnxRuntime } from '../../src/predict/runtime.js';

test('onnxruntime-node loads when it is there, and its absence is a usage error that says how to install it', async () => {
  assert.equal(typeof (await loadOnnxRuntime()).InferenceSession.create, 'function');
  await assert.rejects(loadOnnxRuntime('onnxruntime-node-not-installed'), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(
      e.message,
      'invalid command line: --runtime onnx: onnxruntime-node is not installed (npm install onnxruntime-node)',
    );
    assert.equal(e.exitCode, 2);
    return true;
  });
});
