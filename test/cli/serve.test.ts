// lstm-serve as a user runs it: the real CLI on loopback with trained checkpoints and exports; good and bad requests
// fired together, every good answer lstm-predict's; batching, /metrics, the timeout and a graceful SIGTERM.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA,
  orderLongSmallCheckpoint,
  post,
  ROOT,
  runCli,
  startServe,
  stationsSmallCheckpoint,
  tempDir,
} from './helpers.js';
import { assertSameRows } from '../export/page.js';
import { v1Run } from '../checkpoint/v1-fixtures.js';

let stations: string; // forecast: several series, a categorical, calendar features, times, intervals
let orderLong: string; // classify: padded sequences (the long layout), so the model takes a mask
const cuts: { csv: string; text: string; rows: Record<string, string>[]; predicted: Record<string, unknown>[] }[] = [];

/** The CSV's rows up to `date` (the file's rows are in no order), as text and as the rows a JSON body holds. */
function cutAt(dir: string, date: string) {
  const [header, ...lines] = readFileSync(join(DATA, 'stations.csv'), 'utf8').trim().split('\n');
  const kept = lines.filter((l) => l.split(',')[0] <= date);
  const text = [header, ...kept].join('\n') + '\n';
  const csv = join(dir, `stations-${date}.csv`);
  writeFileSync(csv, text);
  const names = header.split(',');
  const rows = kept.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
  return { csv, text, rows };
}

function lstmPredict(checkpoint: string, csv: string): Record<string, unknown>[] {
  const r = runCli('lstm-predict', [checkpoint, '--data', csv, '--json'], tempDir());
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).rows;
}

before(() => {
  stations = stationsSmallCheckpoint();
  orderLong = orderLongSmallCheckpoint();
  const dir = tempDir('lstm-serve-data-');
  for (const date of ['2023-03-01', '2023-09-15', '2024-12-31']) {
    const cut = cutAt(dir, date);
    cuts.push({ ...cut, predicted: lstmPredict(stations, cut.csv) });
  }
});

/** A counter or gauge of /metrics: the sum of its samples whose labels include `labels`. */
function metric(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => l.includes(labels))
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

const BAD: { body: string; type?: string; status: number; error: RegExp }[] = [
  { body: '{"rows": []}', status: 400, error: /rows: expected at least 1 items, got \[\]/ },
  { body: '{"rowz": []}', status: 400, error: /rowz: unknown key; did you mean "rows"\?/ },
  { body: '[1, 2]', status: 400, error: /rows\[0\]: expected an object, got 1/ },
  { body: '{"rows": [{"station": "st1"}]}', status: 400, error: /rows\[0\]: expected the column "date", found none/ },
  { body: '{"rows": ', status: 400, error: /JSON: / },
  { body: 'date,station\n2024-01-01', type: 'text/csv', status: 400, error: /CSV: .*line 2/ },
  { body: '<rows/>', type: 'application/xml', status: 415, error: /expected Content-Type .*got application\/xml/ },
  {
    body: 'date,station,weather,temp,visitors\n2024-01-01,st9,sun,20,5\n',
    type: 'text/csv',
    status: 400,
    error: /series "st9": not among the series the model was trained on/,
  },
  {
    body: JSON.stringify({
      rows: Array.from({ length: 10 }, (_, d) => ({
        date: `2024-01-${String(d + 1).padStart(2, '0')}`,
        station: 'st1',
        weather: 'sun',
        temp: d === 4 ? 'warm' : 20,
        visitors: 3,
      })),
    }),
    status: 400,
    error: /series "st1", window row 5: column "temp": expected a number, found "warm"/,
  },
  {
    body: 'date,station,weather,temp,visitors\n2024-01-01,constructor,sun,20,5\n',
    type: 'text/csv',
    status: 400,
    error: /series "constructor": not among the series the model was trained on/,
  },
  { body: JSON.stringify('date,station\n2024-01-01,st1'), status: 400, error: /\(body\): expected an object/ },
  { body: 'x'.repeat(70_000), type: 'text/csv', status: 413, error: /larger than --body-limit \(65536 bytes\)/ },
];

test('lstm-serve: good and bad requests at once; every good answer is lstm-predict’s, every bad one a 4xx that says why', async () => {
  const server = await startServe([stations, '--batch-wait', '100', '--body-limit', '65536']);
  try {
    assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: 'ok' });
    const model = (await (await fetch(`${server.url}/model`)).json()) as Record<string, any>;
    assert.equal(model.task, 'forecast');
    assert.deepEqual(model.input.columns, ['station', 'date', 'visitors', 'temp', 'weather']);
    assert.deepEqual(model.output.steps, [1, 2, 3]);
    assert.equal(model.input.window, 10);
    assert.equal(JSON.stringify(model).includes(DATA), false, 'no paths of the machine');

    // the last window of each series is all a request needs (the whole cut is above the body limit)
    const lastRows = (rows: Record<string, string>[]) =>
      [...new Set(rows.map((r) => r.station))].flatMap((s) =>
        rows
          .filter((r) => r.station === s)
          .sort((a, b) => (a.date < b.date ? -1 : 1))
          .slice(-12),
      );
    const good = Array.from({ length: 18 }, (_, i) => {
      const cut = cuts[i % cuts.length];
      const rows = lastRows(cut.rows);
      const header = Object.keys(rows[0]).join(',');
      const csv = [header, ...rows.map((r) => Object.values(r).join(','))].join('\n');
      const [body, type] =
        i % 3 === 0
          ? [csv, 'text/csv']
          : i % 3 === 1
            ? [JSON.stringify({ rows })]
            : [JSON.stringify({ csv }), 'application/json'];
      return { cut, request: post(server.url, body, type) };
    });
    const bad = BAD.map((b) => ({ b, request: post(server.url, b.body, b.type) }));
    const [goodAnswers, badAnswers] = await Promise.all([
      Promise.all(good.map((g) => g.request)),
      Promise.all(bad.map((b) => b.request)),
    ]);
    goodAnswers.forEach((a, i) => {
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assertSameRows(a.json.rows as Record<string, unknown>[], good[i].cut.predicted, `request ${i}`);
    });
    badAnswers.forEach((a, i) => {
      assert.equal(a.status, bad[i].b.status, `bad request ${i}: ${JSON.stringify(a.json)}`);
      assert.match(String(a.json.error), bad[i].b.error, `bad request ${i}`);
      assert.doesNotMatch(JSON.stringify(a.json), /at .*\.js:\d+/, 'no stack');
    });
    const notFound = await fetch(`${server.url}/predictions`);
    assert.equal(notFound.status, 404);
    assert.match(((await notFound.json()) as { error: string }).error, /expected POST \/predict/);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(metric(metrics, 'lstm_serve_requests_total', 'route="/predict",status="200"'), good.length);
    assert.equal(
      metric(metrics, 'lstm_serve_requests_total', 'route="/predict",status="4'),
      BAD.length,
      'every bad request counted',
    );
    assert.equal(metric(metrics, 'lstm_serve_errors_total', 'kind="client"'), BAD.length + 1);
    const passes = metric(metrics, 'lstm_serve_batch_windows_count');
    assert.equal(metric(metrics, 'lstm_serve_batch_requests_sum'), good.length, 'each good request ran once');
    assert.ok(passes >= 1 && passes < good.length, `concurrent requests share forward passes: ${passes} passes`);
    assert.ok(metric(metrics, 'lstm_serve_request_duration_seconds_count', 'route="/predict"') >= good.length);
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.stdout());
  }
});

test('lstm-serve: SIGTERM answers the requests in flight, then exits 0; a slow prediction is a 503 at --timeout', async () => {
  const server = await startServe([stations, '--batch-wait', '1500']);
  const cut = cuts[1];
  const requests = Array.from({ length: 4 }, () => post(server.url, cut.text, 'text/csv'));
  // wait until the four are in the server (held by the batch wait), then stop it
  const deadline = performance.now() + 60_000;
  for (;;) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    if (metric(text, 'lstm_serve_in_flight') >= 5) break;
    assert.ok(performance.now() < deadline, `the four requests never were in flight together:\n${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  server.child.kill('SIGTERM');
  while (!server.stdout().includes('SIGTERM:')) await new Promise((r) => setTimeout(r, 10));
  // stopping: a new request is refused (the port is closed, or a 503 on a connection still open)
  const late = await fetch(`${server.url}/health`).then(
    (r) => r.status,
    () => 'refused',
  );
  assert.ok(late === 'refused' || late === 503, `a request while stopping: ${late}`);
  const answers = await Promise.all(requests);
  for (const a of answers) {
    assert.equal(a.status, 200);
    assertSameRows(a.json.rows as Record<string, unknown>[], cut.predicted);
  }
  assert.equal(await server.exited, 0);
  assert.match(server.stdout(), /SIGTERM: answering the requests in flight, then stopping.*\nstopped\n/);

  const slow = await startServe([stations, '--batch-wait', '2000', '--timeout', '200']);
  try {
    const a = await post(slow.url, cut.text, 'text/csv');
    assert.equal(a.status, 503);
    assert.match(String(a.json.error), /took longer than --timeout \(200 ms\)/);
    const metrics = await (await fetch(`${slow.url}/metrics`)).text();
    assert.equal(metric(metrics, 'lstm_serve_errors_total', 'kind="timeout"'), 1);
  } finally {
    slow.child.kill('SIGTERM');
    assert.equal(await slow.exited, 0);
  }
});

test('lstm-serve: ONNX Runtime on an export folder, and a masked classifier checkpoint, give lstm-predict’s answers', async () => {
  const cwd = tempDir('lstm-serve-export-');
  const exported = runCli('lstm-export', [stations, '--format', 'onnx', '--out', 'onnx'], cwd);
  assert.equal(exported.code, 0, exported.stderr);
  const onnx = await startServe([join(cwd, 'onnx'), '--runtime', 'onnx']);
  try {
    const model = (await (await fetch(`${onnx.url}/model`)).json()) as Record<string, unknown>;
    assert.equal(model.runtime, 'onnx');
    assert.equal(model.source, 'export');
    for (const cut of cuts) {
      const a = await post(onnx.url, cut.text, 'text/csv');
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assertSameRows(a.json.rows as Record<string, unknown>[], cut.predicted, 'onnx');
    }
  } finally {
    onnx.child.kill('SIGTERM');
    assert.equal(await onnx.exited, 0);
  }

  const csv = join(DATA, 'order-long.csv');
  const expected = lstmPredict(orderLong, csv);
  const classifier = await startServe([orderLong]);
  try {
    const texts = [readFileSync(csv, 'utf8')];
    const answers = await Promise.all([0, 1, 2].map(() => post(classifier.url, texts[0], 'text/csv')));
    for (const a of answers) {
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assertSameRows(a.json.rows as Record<string, unknown>[], expected, 'classifier');
    }
  } finally {
    classifier.child.kill('SIGTERM');
    assert.equal(await classifier.exited, 0);
  }
});

test('lstm-serve: a checkpoint written before the model card serves, and /model says what it lacks', async () => {
  for (const kind of ['forecast', 'classify'] as const) {
    const { best, csv } = v1Run(kind);
    const server = await startServe([best]);
    try {
      const model = (await (await fetch(`${server.url}/model`)).json()) as { notes: string[] };
      assert.ok(
        model.notes.some((n) => /before the model card \(card 1\)/.test(n)),
        model.notes.join('\n'),
      );
      const a = await post(server.url, readFileSync(csv, 'utf8'), 'text/csv');
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assertSameRows(a.json.rows as Record<string, unknown>[], lstmPredict(best, csv), kind);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  }
});

test('lstm-serve: what it cannot serve is refused at start with exit 2 and the reason', () => {
  const cwd = tempDir('lstm-serve-bad-');
  const tfjs = runCli('lstm-export', [stations, '--format', 'tfjs', '--out', 'tfjs'], cwd);
  assert.equal(tfjs.code, 0, tfjs.stderr);
  const cases: [string[], RegExp][] = [
    [[join(cwd, 'nothing')], /<model>: expected a checkpoint directory .*, got .*nothing: no checkpoint here/],
    [[cwd], /<model>: expected a checkpoint directory .*: not a checkpoint directory: found tfjs/],
    [[join(cwd, 'tfjs'), '--runtime', 'onnx'], /--runtime onnx: expected model\.onnx in .*tfjs, found none/],
    [[stations, '--port', '70000'], /--port.*expected a port from 0 to 65535/],
  ];
  for (const [args, message] of cases) {
    const r = spawnServe(args, cwd);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack');
  }
});

function spawnServe(args: string[], cwd: string) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'lstm-serve.js'), ...args], { cwd, encoding: 'utf8' });
}
