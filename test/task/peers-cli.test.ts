// lstm-eval with the statistical peers: scored like the model (overall, per step, per series, with MASE and sMAPE),
// chosen by --baselines, left out with a note by default when they cannot fit and an exit 2 when named.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, smallForecastConfig, stationsSmallCheckpoint, tempDir, trainRun } from '../cli/helpers.js';

let sine: string; // one series, season 48: too long for ARIMA's seasonal search and for ETS's seasons
let stations: string; // five series

before(() => {
  const config = smallForecastConfig({ name: 'peers' });
  const data = { ...config.data, horizon: 3, season: 48 };
  sine = join(trainRun({ ...config, data, train: { ...config.train, epochs: 1 } }), 'checkpoints', 'best');
  stations = stationsSmallCheckpoint();
});

const evalJson = (best: string, ...flags: string[]) => {
  const r = runCli('lstm-eval', [best, '--json', ...flags], tempDir());
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    targets: {
      model: Record<string, number>;
      baselines: Record<string, Record<string, number>>;
      byLead: { baselines: Record<string, unknown> }[];
    }[];
    series?: { targets: { scores: Record<string, Record<string, number>> }[] }[];
    seriesMean?: { scores: Record<string, Record<string, number>> }[];
    notes: string[];
  };
};

test('by default the peers that fit are scored like the model, every step, with MASE and sMAPE; one that cannot is a note', () => {
  const report = evalJson(sine);
  const t = report.targets[0];
  for (const name of ['model', 'persistence', 'theta', 'ets'] as const) {
    const m = name === 'model' ? t.model : t.baselines[name];
    for (const key of ['mae', 'mase', 'smape']) assert.ok(Number.isFinite(m[key]), `${name} ${key}`);
  }
  assert.ok(Math.abs(t.baselines.persistence.mase - t.baselines.persistence.mae / (t.model.mae / t.model.mase)) < 1e-9);
  assert.equal(t.byLead.length, 3);
  assert.ok(t.byLead.every((l) => 'theta' in l.baselines && 'ets' in l.baselines));
  assert.equal(t.baselines.arima, undefined);
  assert.ok(
    report.notes.some((n) => /arima baseline left out: .*season of 48/.test(n)),
    report.notes.join('\n'),
  );
  assert.ok(
    report.notes.some((n) => /^ets: ETS\(.*seasonality left out: m = 48 > 24/.test(n)),
    report.notes.join('\n'),
  );
  const text = runCli('lstm-eval', [sine], tempDir());
  assert.match(text.stdout, /MAE +MASE +sMAPE %/);
  assert.match(text.stdout, /skill vs theta/);
});

test('--baselines names the peers; one named that cannot fit, or an unknown name, exits 2 saying why', () => {
  const only = evalJson(sine, '--baselines', 'theta');
  assert.deepEqual(Object.keys(only.targets[0].baselines).sort(), ['linear', 'persistence', 'seasonal-naive', 'theta']);
  assert.deepEqual(Object.keys(evalJson(sine, '--baselines', 'none').targets[0].baselines).sort(), [
    'linear',
    'persistence',
    'seasonal-naive',
  ]);
  const named = runCli('lstm-eval', [sine, '--baselines', 'theta,arima'], tempDir());
  assert.equal(named.code, 2);
  assert.match(named.stderr, /the arima baseline \(asked for by --baselines\) cannot be fitted: .*season of 48/);
  const unknown = runCli('lstm-eval', [sine, '--baselines', 'prophet'], tempDir());
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--baselines.*theta, ets, arima.*prophet/);
});

test('several series: each one’s MAE, MASE and sMAPE per forecast, and their mean over series', () => {
  const report = evalJson(stations, '--baselines', 'theta,ets');
  assert.ok(report.series && report.series.length > 1);
  const scores = report.series.map((s) => s.targets[0].scores);
  for (const s of scores) for (const name of ['model', 'theta', 'ets']) assert.ok(Number.isFinite(s[name].mase), name);
  const mean = report.seriesMean?.[0].scores;
  assert.ok(mean);
  for (const key of ['mae', 'mase', 'smape']) {
    const expected = scores.reduce((a, s) => a + s.theta[key], 0) / scores.length;
    assert.ok(Math.abs(mean.theta[key] - expected) < 1e-9, key);
  }
  const text = runCli('lstm-eval', [stations, '--baselines', 'theta'], tempDir()).stdout;
  assert.match(text, /MASE by series/);
  assert.match(text, /mean over series/);
});
