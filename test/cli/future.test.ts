// data.futureFeatures through the real CLI: train, evaluate, predict from a file whose last rows hold the future
// values, and the same forecasts from an export (predict.js in ONNX Runtime, behind lstm-serve).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, post, runCli, startServe, tempDir, trainRun } from './helpers.js';
import { assertSameRows } from '../export/page.js';

const HORIZON = 6;
const config = (futureFeatures?: string[]) => ({
  name: futureFeatures ? 'hourly-future' : 'hourly-past',
  seed: 3,
  backend: 'wasm',
  data: {
    task: 'forecast',
    path: join(DATA, 'hourly.csv'),
    time: 'time',
    features: ['load', 'temp'],
    targets: ['load'],
    window: 24,
    horizon: HORIZON,
    ...(futureFeatures ? { futureFeatures } : {}),
  },
  model: { impl: 'hand', hiddenSize: 8 },
  train: { epochs: 1, batchSize: 128, learningRate: 0.01 },
  output: { dir: 'runs' },
});

let future: string; // run directories
let past: string;
const [header, ...lines] = readFileSync(join(DATA, 'hourly.csv'), 'utf8').trim().split('\n');
const ORIGIN = lines.length - 200; // forecast from here: the rows after it are the truth

/** The file up to the origin, then `count` future rows: load empty, temp as given (the file's own, or changed). */
function futureFile(
  dir: string,
  name: string,
  temp: (t: number, k: number) => string | number = (t) => t,
  count = HORIZON,
) {
  const rows = lines.slice(0, ORIGIN + 1);
  const next = lines.slice(ORIGIN + 1, ORIGIN + 1 + count).map((l, k) => {
    const [time, , t] = l.split(',');
    return `${time},,${temp(Number(t), k)}`;
  });
  const path = join(dir, name);
  writeFileSync(path, [header, ...rows, ...next].join('\n') + '\n');
  return path;
}

const predictJson = (run: string, args: string[]) => {
  const r = runCli('lstm-predict', [join(run, 'checkpoints', 'best'), ...args, '--json'], tempDir());
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { rows: Record<string, unknown>[] };
};

before(() => {
  future = trainRun(config(['temp']));
  past = trainRun(config());
});

test('futureFeatures: the forecast from future rows is the one from the same window inside the file, and it reads them', () => {
  const dir = tempDir('lstm-future-');
  const time = lines[ORIGIN].split(',')[0];
  const inside = predictJson(future, ['--data', join(DATA, 'hourly.csv'), '--from', time]);
  const ahead = predictJson(future, ['--data', futureFile(dir, 'ahead.csv')]);
  assertSameRows(ahead.rows, inside.rows, 'future rows vs the file’s own rows after --from');
  assert.equal(ahead.rows.length, HORIZON);
  // 15 degrees warmer tomorrow: the same window, another forecast
  const warmer = predictJson(future, ['--data', futureFile(dir, 'warmer.csv', (t) => t + 15)]);
  const moved = warmer.rows.map((r, k) => Math.abs((r.load as number) - (ahead.rows[k].load as number)));
  assert.ok(Math.max(...moved) > 1e-3, `the forecast did not move with the future temp: ${moved.join(', ')}`);
  // the model without future features forecasts the same window from the past alone (no future rows needed)
  const pastOnly = predictJson(past, ['--data', join(DATA, 'hourly.csv'), '--from', time]);
  assert.equal(pastOnly.rows.length, HORIZON);
});

test('futureFeatures: --steps past the horizon rolls out on the future rows, as it does on the file’s own rows', () => {
  const dir = tempDir('lstm-future-rollout-');
  const time = lines[ORIGIN].split(',')[0];
  const inside = predictJson(future, ['--data', join(DATA, 'hourly.csv'), '--from', time, '--steps', '15']);
  const ahead = predictJson(future, ['--data', futureFile(dir, 'ahead.csv', (t) => t, 18), '--steps', '15']);
  assert.equal(ahead.rows.length, 15);
  assertSameRows(ahead.rows, inside.rows, 'rollout on future rows vs on the file’s rows');
});

test('futureFeatures: lstm-eval scores the model and the linear baseline on the same known future', () => {
  const linear = (run: string) => {
    const report = JSON.parse(readFileSync(join(run, 'eval', 'report.json'), 'utf8')) as {
      targets: { baselines: { linear: { mae: number } } }[];
    };
    return report.targets[0].baselines.linear.mae;
  };
  // the ridge regression reads the window's inputs: with the future temp among them it fits another model
  assert.notEqual(linear(future), linear(past));
  const r = runCli('lstm-eval', [join(future, 'checkpoints', 'best'), '--split', 'test'], tempDir());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /linear/);
});

test('futureFeatures: missing future rows or values are errors naming what is needed, a rollout’s too', () => {
  const dir = tempDir('lstm-future-bad-');
  const best = join(future, 'checkpoints', 'best');
  const refused = (args: string[], message: RegExp) => {
    const r = runCli('lstm-predict', [best, ...args], dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  };
  refused(
    ['--data', join(DATA, 'hourly.csv')],
    /expected 6 rows after the last observed load \(the targets empty, temp filled\).*found 0/,
  );
  const gap = futureFile(dir, 'gap.csv', (t, k) => (k === 3 ? '' : t));
  // the origin's row is line ORIGIN + 2; the empty temp is step 4's, 4 lines below, in column 3
  refused(
    ['--data', gap],
    new RegExp(
      `gap\\.csv:${ORIGIN + 2 + 4}:3: column "temp": expected the future value of step 4, found an empty cell`,
    ),
  );
  refused(
    ['--data', futureFile(dir, 'ok.csv'), '--steps', '9'],
    /expected 12 rows after the last observed load .*: --steps 9 reads them up to 12 steps after the forecast's start; found 6/,
  );
  // a past feature that is neither a target nor known ahead still has no values to roll out with
  const r = runCli(
    'lstm-predict',
    [join(past, 'checkpoints', 'best'), '--data', join(DATA, 'hourly.csv'), '--steps', '9'],
    dir,
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /these features have no future values: temp/);
});

/** lstm-serve on an export folder; `ask` gets its URL; then SIGTERM. */
async function serving(folder: string, runtime: 'tfjs' | 'onnx', ask: (url: string) => Promise<void>) {
  const server = await startServe([folder, '--runtime', runtime]);
  try {
    await ask(server.url);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const postCsv = async (url: string, body: string) => {
  const { status, json } = await post(url, body, 'text/csv');
  return { status, json: json as { rows: Record<string, unknown>[]; error?: string } };
};

test('futureFeatures: the tfjs and ONNX exports (predict.js, behind lstm-serve) give lstm-predict’s forecast', async () => {
  const dir = tempDir('lstm-future-export-');
  const csv = futureFile(dir, 'ahead.csv');
  const expected = predictJson(future, ['--data', csv]).rows;
  for (const format of ['tfjs', 'onnx'] as const) {
    const exported = runCli(
      'lstm-export',
      [join(future, 'checkpoints', 'best'), '--format', format, '--out', format],
      dir,
    );
    assert.equal(exported.code, 0, exported.stderr);
    await serving(join(dir, format), format, async (url) => {
      const model = (await (await fetch(`${url}/model`)).json()) as { input: { columns: string[] } };
      assert.deepEqual(model.input.columns, ['time', 'load', 'temp']);
      const answer = await postCsv(url, readFileSync(csv, 'utf8'));
      assert.equal(answer.status, 200, JSON.stringify(answer.json));
      assertSameRows(answer.json.rows, expected, `${format} export`);
      const short = await postCsv(url, [header, ...lines.slice(0, ORIGIN + 1)].join('\n'));
      assert.equal(short.status, 400);
      assert.match(String(short.json.error), /expected 6 rows after the last observed load/);
      // an hour missing among the future rows: predict.js fills no gaps, and says where
      const text = readFileSync(
        futureFile(dir, 'seven.csv', (t) => t, 7),
        'utf8',
      )
        .trim()
        .split('\n');
      const missing = text[text.length - 3].split(',')[0];
      const gap = await postCsv(url, [...text.slice(0, -3), ...text.slice(-2)].join('\n'));
      assert.equal(gap.status, 400);
      assert.match(String(gap.json.error), /rows are not one step apart at /);
      assert.ok(!String(gap.json.error).includes(missing));
    });
  }
});
