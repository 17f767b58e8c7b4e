// Many series in one shuffled file, through the real CLIs: train, evaluate per series, forecast each series' future.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ROOT, readCsvRows, runCli, tempDir, writeJson } from './helpers.js';

const STATIONS = ['st1', 'st2', 'st3', 'st4', 'st5'];
const config = JSON.parse(readFileSync(join(ROOT, 'configs', 'stations.json'), 'utf8'));

/** Trains the shipped stations config (or a variant of its data section) and returns its best checkpoint. */
function trainStations(data: Record<string, unknown> = {}): string {
  const out = tempDir();
  const cfg = { ...config, data: { ...config.data, path: join(DATA, 'stations.csv'), ...data } };
  const r = runCli('lstm-train', ['--config', writeJson(join(out, 'cfg.json'), cfg), '--out', out, '--quiet'], out);
  assert.equal(r.code, 0, r.stderr);
  return join(
    out,
    readdirSync(out).find((f) => f.startsWith('stations-'))!,
    'checkpoints',
    'best',
  );
}

/** The file's visitors by station and date: the truth every per-series output must line up with. */
const truth = new Map(
  readCsvRows(join(DATA, 'stations.csv')).map((r) => [`${r.station} ${r.date}`, Number(r.visitors)]),
);

let trained: string | undefined;
const stationsModel = () => (trained ??= trainStations());

test('stations: a shuffled file of 5 series is evaluated overall and per series, each window inside its series', () => {
  const best = stationsModel();
  const dir = tempDir();
  const ev = runCli('lstm-eval', [best, '--json', '--predictions', join(dir, 'p.csv')], dir);
  assert.equal(ev.code, 0, ev.stderr);
  const report = JSON.parse(ev.stdout);
  assert.deepEqual(
    report.series.map((s: { name: string }) => s.name),
    STATIONS,
  );
  const windows = report.series.map((s: { windows: number }) => s.windows);
  assert.equal(
    windows.reduce((a: number, b: number) => a + b, 0),
    report.count,
  );
  // The overall MAE is the per-series MAEs weighted by their windows.
  const weighted =
    report.series.reduce(
      (a: number, s: { windows: number; targets: { mae: number }[] }) => a + s.windows * s.targets[0].mae,
      0,
    ) / report.count;
  assert.ok(Math.abs(weighted - report.targets[0].model.mae) < 1e-3, `${weighted} vs ${report.targets[0].model.mae}`);
  // Every predicted row's truth is that station's value on that date: no window read another series' rows.
  const rows = readCsvRows(join(dir, 'p.csv'));
  assert.equal(rows.length, report.count * 7);
  for (const r of rows) {
    const expected = truth.get(`${r.series} ${r.time}`);
    assert.ok(expected !== undefined, `no ${r.series} on ${r.time}`);
    assert.ok(Math.abs(Number(r.visitors_true) - expected) < 1e-3, `${r.series} ${r.time}: ${r.visitors_true}`);
  }
  const human = runCli('lstm-eval', [best], dir);
  assert.match(human.stdout, /MAE by series/);
  assert.match(human.stdout, /^st5 +visitors +75 /m);
});

test('stations: lstm-predict forecasts every series past its own end, or those --series names', () => {
  const best = stationsModel();
  const dir = tempDir();
  const data = join(DATA, 'stations.csv');
  const all = runCli('lstm-predict', [best, '--data', data, '--out', join(dir, 'f.csv')], dir);
  assert.equal(all.code, 0, all.stderr);
  const csvText = readFileSync(join(dir, 'f.csv'), 'utf8');
  assert.match(csvText, /^series,step,time,visitors,visitors_lower_80,/);
  const rows = readCsvRows(join(dir, 'f.csv'));
  assert.deepEqual([...new Set(rows.map((r) => r.series))], STATIONS);
  for (const s of STATIONS) {
    const own = rows.filter((r) => r.series === s);
    assert.deepEqual(
      own.map((r) => r.time),
      ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07'],
    );
  }
  // Intervals are in each series' own scale: the smallest station's are narrower than the largest's.
  const width = (s: string) => {
    const r = rows.find((x) => x.series === s && x.step === '1')!;
    return Number(r.visitors_upper_80) - Number(r.visitors_lower_80);
  };
  assert.ok(width('st1') < width('st5') / 2, `st1 ${width('st1')} vs st5 ${width('st5')}`);

  const one = runCli('lstm-predict', [best, '--data', data, '--series', 'st2', '--json'], dir);
  assert.equal(one.code, 0, one.stderr);
  const json = JSON.parse(one.stdout);
  assert.deepEqual([...new Set(json.rows.map((r: { series: string }) => r.series))], ['st2']);
  const st2 = rows.filter((r) => r.series === 'st2').map((r) => Number(r.visitors));
  json.rows.forEach((r: { visitors: number }, k: number) => assert.ok(Math.abs(r.visitors - st2[k]) < 1e-3));

  const bad = runCli('lstm-predict', [best, '--data', data, '--series', 'st2,st9'], dir);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /--series: expected series of .*stations\.csv, got "st9" \(it has 5: st1, st2, st3, st4, st5\)/,
  );
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test('stations: the weather category and the calendar lower test MAE against the same model without them', (t) => {
  const mae = (best: string) => {
    const r = runCli('lstm-eval', [best, '--json'], tempDir());
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).targets[0].model.mae as number;
  };
  const withThem = mae(stationsModel());
  const without = mae(trainStations({ categorical: undefined, calendar: undefined }));
  t.diagnostic(`test MAE: with weather and calendar ${withThem}, without ${without}`);
  assert.ok(withThem < without, `with ${withThem} vs without ${without}`);
});
