import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select.js';
import { fixedWasmKernelsInstalled } from '../../src/backend/wasm-kernels.js';
import { UsageError } from '../../src/errors.js';
import { runCli, smallForecastConfig, tempDir, writeJson } from '../cli/helpers.js';

/** Whether the optional native backend can load here (it cannot where its install could not download libtensorflow). */
function nodeBackendLoads(): boolean {
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}
const native = nodeBackendLoads();

test(`auto picks ${native ? 'tensorflow (tfjs-node is installed)' : 'wasm and says why (tfjs-node is not installed)'}`, async () => {
  const choice = await selectBackend('auto');
  assert.equal(choice.name, tf.getBackend());
  if (native) {
    assert.equal(choice.name, 'tensorflow');
    assert.equal(choice.note, undefined);
  } else {
    assert.equal(choice.name, 'wasm');
    assert.match(choice.note ?? '', /tfjs-node .* not installed: using the wasm backend/);
  }
});

test(`an explicit tensorflow backend ${native ? 'loads' : 'is a clear error with a hint when tfjs-node is absent'}`, async () => {
  if (native) {
    assert.equal((await selectBackend('tensorflow')).name, 'tensorflow');
    return;
  }
  await assert.rejects(
    selectBackend('tensorflow'),
    (e: Error) => e instanceof UsageError && /tfjs-node/.test(e.message) && /--backend wasm/.test(e.suggestion ?? ''),
  );
});

test('cpu and wasm are chosen as asked; wasm installs our kernels unless stock ones are asked for', async () => {
  assert.equal((await selectBackend('cpu')).name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  const stock = await selectBackend('wasm', 'stock');
  assert.deepEqual([stock.name, stock.wasmKernels, stock.note], ['wasm', 'stock', undefined]);
  assert.equal(fixedWasmKernelsInstalled(), false);
  const fixed = await selectBackend('wasm', 'fixed');
  assert.equal(fixed.wasmKernels, 'fixed');
  assert.equal(fixedWasmKernelsInstalled(), true);
});

test("tfjs's own console banner never reaches the user, whatever the backend", () => {
  const dir = tempDir();
  const cfg = writeJson(join(dir, 'cfg.json'), smallForecastConfig());
  for (const backend of ['cpu', 'auto']) {
    const r = runCli('lstm-train', ['--config', cfg, '--backend', backend, '--dry-run'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /Hi, looks like|tfjs-node for more details/);
    assert.match(r.stdout, new RegExp(`backend: ${backend === 'cpu' ? 'cpu' : native ? 'tensorflow' : 'wasm'}`));
  }
});
