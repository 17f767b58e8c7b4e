// The committed card-2 checkpoints and exports (test/fixtures/v2, made by scripts/make-v2-fixtures.ts), copied where
// a test can use them, with what they answered when they were made and a comparison of numbers to 1e-6.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tfjs from '@tensorflow/tfjs';
import { tempDir } from '../cli/helpers.js';

const V2 = join(import.meta.dirname, '..', 'fixtures', 'v2');
/** Where the fixtures were made (scripts/make-v2-fixtures.ts): their meta.json names their data.csv there. */
const MADE_IN = '/tmp/lstm-v2-fixtures';

export const V2_FIXTURES = ['stations', 'hourly-future', 'sine', 'order-wide', 'order-long'] as const;
export type V2Name = (typeof V2_FIXTURES)[number];

export interface V2Fixture {
  name: V2Name;
  dir: string;
  /** the CSV the model was trained on and predicted from (data.csv) */
  csv: string;
  checkpoint: string;
  /** lstm-export's folders as written when the fixture was made (with their own predict.js) */
  tfjs: string;
  onnx: string;
  /** expected/<file>, as written when the fixture was made */
  expected: (file: 'eval.json' | 'predict.json' | 'predict-onnx.json' | 'predict-js.json') => unknown;
}

/** A copy of test/fixtures/v2/<name> in a fresh folder; its meta.json's data path points at the copy of data.csv. */
export function v2Fixture(name: V2Name): V2Fixture {
  const dir = join(tempDir('lstm-v2-'), name);
  cpSync(join(V2, name), dir, { recursive: true });
  const csv = join(dir, 'data.csv');
  const meta = join(dir, 'checkpoint', 'meta.json');
  writeFileSync(meta, readFileSync(meta, 'utf8').split(`${MADE_IN}/${name}/data.csv`).join(csv));
  return {
    name,
    dir,
    csv,
    checkpoint: join(dir, 'checkpoint'),
    tfjs: join(dir, 'export-tfjs'),
    onnx: join(dir, 'export-onnx'),
    expected: (file) => JSON.parse(readFileSync(join(dir, 'expected', file), 'utf8')),
  };
}

type Predictor = { predict: (rows: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };
type Run = (x: Float32Array, mask: Float32Array | undefined, shape: number[]) => Promise<Float32Array>;
export interface PredictJs {
  loadPredictor: (dir: string, tf: unknown) => Promise<Predictor>;
  createPredictor: (preprocess: unknown, run: Run) => Predictor;
  parseCsv: (text: string) => Record<string, string>[];
}

/** The predict.js of the export in `dir` (imported from there: an old export runs its own copy). */
export async function predictJsOf(dir: string): Promise<PredictJs> {
  return (await import(pathToFileURL(join(dir, 'predict.js')).href)) as PredictJs;
}

/** predict.js of the export in `dir`, with `tf`, on the CSV's rows as its own parseCsv reads them; JSON's view. */
export async function predictJsRows(dir: string, csv: string, tf: typeof tfjs): Promise<unknown> {
  const js = await predictJsOf(dir);
  const rows = (await (await js.loadPredictor(dir, tf)).predict(js.parseCsv(readFileSync(csv, 'utf8')))).rows;
  return JSON.parse(JSON.stringify(rows)); // an infinite bound is null, as in lstm-predict --json
}

/** predict.js of the ONNX export in `dir` around an ONNX Runtime session, as the README shows it; JSON's view. */
export async function onnxPredictJsRows(dir: string, csv: string): Promise<unknown> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
  const js = await predictJsOf(dir);
  const preprocess: unknown = JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8'));
  const predictor = js.createPredictor(preprocess, async (x, mask, [batch, steps, features]) => {
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      x: new ort.Tensor('float32', x, [batch, steps, features]),
    };
    if (mask) feeds.mask = new ort.Tensor('float32', mask, [batch, steps]);
    const outputs = await session.run(feeds);
    return outputs[session.outputNames[0]].data as Float32Array;
  });
  try {
    const rows = (await predictor.predict(js.parseCsv(readFileSync(csv, 'utf8')))).rows;
    return JSON.parse(JSON.stringify(rows));
  } finally {
    await session.release();
  }
}

export const TOLERANCE = 1e-6;
/**
 * The linear baseline's ridge is solved in float64 since these fixtures were made (it was float32 normal
 * equations, off by up to ~3e-5 relative): its metrics are held to 1e-4, everything the model gives to 1e-6.
 */
const LINEAR_TOLERANCE = 1e-4;

/**
 * `actual` is `expected`: the same text, nulls and booleans, arrays of the same length, and every number within
 * 1e-6 relative: to the larger of 1 and the number itself (scale "number"), or to the larger of 1 and the largest
 * magnitude among the numbers of the same object (scale "row": an interval bound near 0 is the difference of two
 * larger numbers, and is held to their precision). Rows ("row") have the same keys in the same order (their
 * columns); a metric report ("number") has every key it had, and may have more (what a later version adds).
 */
export function assertSameNumbers(actual: unknown, expected: unknown, scale: 'number' | 'row', path = '$'): void {
  if (typeof expected === 'number') return assertClose(actual, expected, Math.max(1, Math.abs(expected)), path);
  if (expected === null || typeof expected !== 'object') return assert.equal(actual, expected, path);
  // a report's notes may gain lines (what a later version adds, e.g. the statistical peers'), never lose one
  if (scale === 'number' && /\.notes$/.test(path) && Array.isArray(expected) && Array.isArray(actual))
    return assert.deepEqual(
      expected.filter((n) => !actual.includes(n)),
      [],
      `${path}: notes missing`,
    );
  assert.equal(typeof actual, 'object', `${path}: expected ${JSON.stringify(expected)}, got ${String(actual)}`);
  assert.ok(actual !== null, `${path}: expected ${JSON.stringify(expected)}, got null`);
  assert.equal(Array.isArray(actual), Array.isArray(expected), `${path}: array or object`);
  const got = actual as Record<string, unknown>;
  const want = expected as Record<string, unknown>;
  if (scale === 'row' || Array.isArray(want)) assert.deepEqual(Object.keys(got), Object.keys(want), `${path}: keys`);
  else
    assert.deepEqual(
      Object.keys(want).filter((k) => !Object.hasOwn(got, k)),
      [],
      `${path}: keys missing`,
    );
  const numbers = Object.values(want).filter((v): v is number => typeof v === 'number');
  const rowScale = Math.max(1, ...numbers.map(Math.abs));
  for (const [key, value] of Object.entries(want)) {
    const at = `${path}.${key}`;
    if (typeof value === 'number' && scale === 'row') assertClose(got[key], value, rowScale, at);
    else assertSameNumbers(got[key], value, scale, at);
  }
}

function assertClose(actual: unknown, expected: number, scale: number, path: string): void {
  assert.equal(typeof actual, 'number', `${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
  const diff = Math.abs((actual as number) - expected);
  const tolerance = /\.linear\b/.test(path) ? LINEAR_TOLERANCE : TOLERANCE;
  assert.ok(
    diff <= tolerance * scale,
    `${path}: ${String(actual)}, expected ${expected} (off by ${diff.toExponential(2)})`,
  );
}
