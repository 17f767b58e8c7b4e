// Card-2 checkpoints and their exports, written by an earlier version (test/fixtures/v2), load, evaluate and
// predict with the numbers they gave when they were made: lstm-eval and lstm-predict (tfjs and ONNX Runtime); the
// exports are v2-exports.test.ts. Numbers agree to 1e-6 (assertSameNumbers says relative to what).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCard } from '../../src/checkpoint/model-checkpoint.js';
import { runCli } from '../cli/helpers.js';
import { assertSameNumbers, V2_FIXTURES, v2Fixture } from './v2-fixtures.js';

/** The CLI's --json answer, run in the fixture's folder (lstm-eval names its data file relative to there). */
function json(bin: 'lstm-eval' | 'lstm-predict', args: string[], cwd: string): unknown {
  const r = runCli(bin, [...args, '--json'], cwd);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

for (const name of V2_FIXTURES) {
  test(`card-2 fixture ${name}: the card reads, lstm-eval gives the metrics it gave`, async () => {
    const f = v2Fixture(name);
    const card = await readCard(f.checkpoint);
    assert.equal(card.cardVersion, 2);
    assert.equal(card.config.data.path, f.csv);
    assertSameNumbers(json('lstm-eval', [f.checkpoint], f.dir), f.expected('eval.json'), 'number');
  });

  test(`card-2 fixture ${name}: lstm-predict gives the rows it gave, in tfjs and in ONNX Runtime`, () => {
    const f = v2Fixture(name);
    assertSameNumbers(json('lstm-predict', [f.checkpoint, '--data', f.csv], f.dir), f.expected('predict.json'), 'row');
    const onnx = json('lstm-predict', [f.checkpoint, '--data', f.csv, '--runtime', 'onnx'], f.dir);
    assertSameNumbers(onnx, f.expected('predict-onnx.json'), 'row');
  });
}
