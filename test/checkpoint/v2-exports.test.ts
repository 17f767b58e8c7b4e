// Exports written by an earlier version (test/fixtures/v2) keep predicting the rows they gave when they were made:
// their own old predict.js (tfjs, and ONNX Runtime as the README shows), the predict.js lstm-export writes now from
// the same card-2 checkpoint, and lstm-serve (on 127.0.0.1) of the checkpoint, of the old tfjs export and of the old
// ONNX export. Numbers agree to 1e-6.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { post, runCli, startServe, tempDir } from '../cli/helpers.js';
import {
  assertSameNumbers,
  onnxPredictJsRows,
  predictJsOf,
  predictJsRows,
  V2_FIXTURES,
  v2Fixture,
  type V2Fixture,
} from './v2-fixtures.js';

before(() => tf.setBackend('cpu'));

/** lstm-serve of `model`: its answer to the fixture's CSV as text, then as JSON rows; it is stopped either way. */
async function served(f: V2Fixture, model: string, args: string[] = []) {
  const server = await startServe([model, ...args]);
  try {
    const text = readFileSync(f.csv, 'utf8');
    const { parseCsv } = await predictJsOf(f.tfjs);
    const asCsv = await post(server.url, text, 'text/csv');
    const asJson = await post(server.url, JSON.stringify({ rows: parseCsv(text) }));
    assert.equal(asCsv.status, 200, JSON.stringify(asCsv.json));
    assert.equal(asJson.status, 200, JSON.stringify(asJson.json));
    return [asCsv.json.rows, asJson.json.rows];
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

for (const name of V2_FIXTURES) {
  test(`card-2 fixture ${name}: the old export's predict.js and a new export's give the rows it gave`, async () => {
    const f = v2Fixture(name);
    const expected = f.expected('predict-js.json');
    assertSameNumbers(await predictJsRows(f.tfjs, f.csv, tf), expected, 'row');
    const now = join(f.dir, 'export-now');
    const r = runCli('lstm-export', [f.checkpoint, '--format', 'tfjs', '--out', now], tempDir());
    assert.equal(r.code, 0, r.stderr);
    assertSameNumbers(await predictJsRows(now, f.csv, tf), expected, 'row');
  });

  test(`card-2 fixture ${name}: the old ONNX export's predict.js in ONNX Runtime gives lstm-predict's ONNX rows`, async () => {
    const f = v2Fixture(name);
    const expected = (f.expected('predict-onnx.json') as { rows: unknown[] }).rows;
    assertSameNumbers(await onnxPredictJsRows(f.onnx, f.csv), expected, 'row');
  });

  test(
    `card-2 fixture ${name}: lstm-serve of the checkpoint and of its old exports gives the rows it gave`,
    {
      timeout: 120_000,
    },
    async () => {
      const f = v2Fixture(name);
      const tfjsRows = (f.expected('predict.json') as { rows: unknown[] }).rows;
      const onnxRows = (f.expected('predict-onnx.json') as { rows: unknown[] }).rows;
      const [checkpoint, oldTfjs, oldOnnx] = await Promise.all([
        served(f, f.checkpoint),
        served(f, f.tfjs),
        served(f, f.onnx, ['--runtime', 'onnx']),
      ]);
      for (const rows of [...checkpoint, ...oldTfjs]) assertSameNumbers(rows, tfjsRows, 'row');
      for (const rows of oldOnnx) assertSameNumbers(rows, onnxRows, 'row');
    },
  );
}
