// lstm-export as a user runs it: the real CLI on trained checkpoints; predict.js (plain tfjs, ONNX Runtime) and the web
// page give lstm-predict's numbers; bad input is refused with nothing written. (test/export/predict-js.test.ts
// compares predict.js and lstm-predict on more kinds of data, in one process.)
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel } from '../../src/models/onnx-proto.js';
import { v1Run } from '../checkpoint/v1-fixtures.js';
import { browserSkip } from '../browser.js';
import { DATA, listTree, orderLongSmallCheckpoint, ROOT, runCli, stationsSmallCheckpoint, tempDir } from './helpers.js';
import { assertSameRows, servePredictions } from '../export/page.js';

let stations: string; // forecast: several series, own scalers, a categorical, calendar features, times, intervals
let orderLong: string; // classify: padded sequences (the long layout), so the model takes a mask

before(() => {
  stations = stationsSmallCheckpoint();
  orderLong = orderLongSmallCheckpoint();
});

/**
 * In a Node process of its own (plain @tensorflow/tfjs, or onnxruntime-node): predict.js of an export on a CSV's
 * rows, as the README's snippets run it.
 */
const PREDICT_NODE = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [dir, csv, runtime] = process.argv.slice(1);
const { loadPredictor, createPredictor, parseCsv } = await import(join(dir, 'predict.js'));
let predictor;
if (runtime === 'onnx') {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const preprocess = JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8'));
  predictor = createPredictor(preprocess, async (x, mask, [batch, steps, features]) => {
    const feeds = { x: new ort.Tensor('float32', x, [batch, steps, features]) };
    if (mask) feeds.mask = new ort.Tensor('float32', mask, [batch, steps]);
    const out = await session.run(feeds);
    return out[session.outputNames[0]].data;
  });
} else {
  const tf = await import('@tensorflow/tfjs');
  predictor = await loadPredictor(dir, tf);
}
const result = await predictor.predict(parseCsv(readFileSync(csv, 'utf8')));
console.log(JSON.stringify(result));
`;

function predictJs(dir: string, csv: string, runtime: 'tfjs' | 'onnx' = 'tfjs') {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PREDICT_NODE, dir, csv, runtime], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { rows: Record<string, unknown>[]; notes: string[] };
}

const predicted = new Map<string, Record<string, unknown>[]>();

/** lstm-predict --json's rows (each checkpoint and file once: several tests compare against them). */
function lstmPredict(checkpoint: string, csv: string): Record<string, unknown>[] {
  const key = `${checkpoint} ${csv}`;
  if (!predicted.has(key)) {
    const r = runCli('lstm-predict', [checkpoint, '--data', csv, '--json'], tempDir());
    assert.equal(r.code, 0, r.stderr);
    predicted.set(key, JSON.parse(r.stdout).rows);
  }
  return predicted.get(key)!;
}

function exportTo(checkpoint: string, format: string, out = 'export', extra: string[] = []): string {
  const cwd = tempDir('lstm-export-');
  const r = runCli('lstm-export', [checkpoint, '--format', format, '--out', out, ...extra], cwd);
  assert.equal(r.code, 0, r.stderr);
  return join(cwd, out);
}

test('tfjs: predict.js in plain tfjs gives lstm-predict’s forecasts: series, categories, calendar, times, intervals', () => {
  const dir = exportTo(stations, 'tfjs');
  assert.deepEqual(listTree(dir), ['model.json', 'predict.js', 'preprocess.json', 'weights.bin']);
  const csv = join(DATA, 'stations.csv');
  const expected = lstmPredict(stations, csv);
  assert.equal(expected.length, 5 * 3, 'five series, three steps');
  assertSameRows(predictJs(dir, csv).rows, expected);
  const preprocess = JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8'));
  assert.deepEqual(preprocess.forecast.intervals.levels, [0.8, 0.95]);
  assert.equal(preprocess.forecast.time.column, 'date');
});

test('onnx: a folder for ONNX Runtime, whose predict.js gives lstm-predict’s numbers (forecast and masked classify)', () => {
  for (const [checkpoint, csv] of [
    [stations, join(DATA, 'stations.csv')],
    [orderLong, join(DATA, 'order-long.csv')],
  ]) {
    const dir = exportTo(checkpoint, 'onnx');
    assert.deepEqual(listTree(dir), ['model.onnx', 'predict.js', 'preprocess.json']);
    if (checkpoint === orderLong)
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8')).inputs, ['x', 'mask']);
    assertSameRows(predictJs(dir, csv, 'onnx').rows, lstmPredict(checkpoint, csv));
  }
});

test('lstm-predict --runtime onnx gives its tfjs numbers: several series, and a masked long-layout classifier', () => {
  for (const [checkpoint, csv] of [
    [stations, join(DATA, 'stations.csv')],
    [orderLong, join(DATA, 'order-long.csv')],
  ]) {
    const r = runCli('lstm-predict', [checkpoint, '--data', csv, '--json', '--runtime', 'onnx'], tempDir());
    assert.equal(r.code, 0, r.stderr);
    assertSameRows(JSON.parse(r.stdout).rows, lstmPredict(checkpoint, csv), checkpoint);
  }
});

test('onnx: --out model.onnx writes that one file, the preprocessing in its metadata', () => {
  const file = exportTo(stations, 'onnx', 'model.onnx');
  const decoded = decodeModel(readFileSync(file)) as { metadataProps: { key: string; value: string }[] };
  const preprocess = JSON.parse(decoded.metadataProps.find((m) => m.key === 'preprocess')!.value);
  assert.equal(preprocess.task, 'forecast');
  assert.deepEqual(listTree(join(file, '..')), ['model.onnx']);
});

test(
  'web: the page, served on loopback, shows lstm-predict’s numbers and fetches nothing from elsewhere',
  { skip: browserSkip() },
  async () => {
    for (const checkpoint of [stations, orderLong]) {
      const dir = exportTo(checkpoint, 'web');
      for (const f of ['index.html', 'tf.min.js', 'examples.json', 'examples.csv'])
        assert.ok(existsSync(join(dir, f)), f);
      const shown = await servePredictions(dir);
      assertSameRows(shown, lstmPredict(checkpoint, join(dir, 'examples.csv')));
    }
  },
);

test('a checkpoint from before the model card exports, and says what it lacks', () => {
  for (const kind of ['forecast', 'classify'] as const) {
    const { best, csv } = v1Run(kind);
    const cwd = tempDir('lstm-export-');
    const r = runCli('lstm-export', [best, '--format', 'tfjs', '--out', 'export'], cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /note: the checkpoint is from before the model card \(card 1\)/);
    if (kind === 'forecast') assert.match(r.stdout, /intervals calibrated at export/);
    assertSameRows(predictJs(join(cwd, 'export'), csv).rows, lstmPredict(best, csv), kind);
  }
});

test('bad input: an unknown format, a taken or unwritable --out, no --out: a message, exit 2, nothing written', () => {
  const cwd = tempDir('lstm-export-bad-');
  const refused = (args: string[], message: RegExp) => {
    const before = listTree(cwd);
    const r = runCli('lstm-export', [stations, ...args], cwd);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.deepEqual(listTree(cwd), before, 'nothing written');
  };
  refused(['--format', 'savedmodel', '--out', 'x'], /--format.*'savedmodel' is invalid.*tfjs, web, onnx/);
  refused(['--format', 'tfjs'], /--out: expected the path to write the export to, got nothing/);
  writeFileSync(join(cwd, 'notes.txt'), 'mine');
  refused(
    ['--format', 'tfjs', '--out', 'notes.txt/export'],
    /--out: expected a path in an existing folder, got notes.txt\/export/,
  );
  refused(['--format', 'tfjs', '--out', 'notes.txt'], /--out: expected a folder, got notes.txt, an existing file/);
  mkdirSync(join(cwd, 'taken'));
  writeFileSync(join(cwd, 'taken', 'keep.csv'), 'mine');
  refused(
    ['--format', 'onnx', '--out', 'taken'],
    /--out: expected a new or empty folder, got taken, which exists[\s\S]*hint: add --force/,
  );
  refused(['--format', 'web', '--out', 'w', '--data', 'missing.csv'], /--data: expected a CSV file, got missing.csv/);
  const r = runCli('lstm-export', [stations, '--format', 'onnx', '--out', 'taken', '--force'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(listTree(join(cwd, 'taken')), ['model.onnx', 'predict.js', 'preprocess.json'], 'replaced whole');
  assert.deepEqual(
    listTree(cwd).filter((f) => f.startsWith('.')),
    [],
    'no temporary sibling left',
  );
});
