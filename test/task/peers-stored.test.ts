// The statistical peers fitted once, at training, and stored in the checkpoint's card: a stored fit forecasts as the
// fresh one, lstm-eval uses it on the data it was made on and refits otherwise, and a bad field is a clear exit 2.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arimaForecasts } from '../../src/task/forecast/peers/arima-model.js';
import { PEERS, PEER_NAMES } from '../../src/task/forecast/peers/index.js';
import type { FittedPeer } from '../../src/task/forecast/peers/types.js';
import { DATA, runCli, smallForecastConfig, tempDir, trainRun } from '../cli/helpers.js';
import { v2Fixture } from '../checkpoint/v2-fixtures.js';
import { AIR_PASSENGERS } from './r-references.js';

const air = Float64Array.from(AIR_PASSENGERS);
const hourly = Float64Array.from(
  readFileSync(join(DATA, 'hourly.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, 1501)
    .map((line) => Number(line.split(',')[1])),
);

/** Fits each peer on y's first `train` values, and the same fit through JSON, and forecasts every origin from both. */
function freshAndStored(y: Float64Array, train: number, m: number, h: number) {
  const origins = Int32Array.from({ length: y.length - train - h + 1 }, (_, i) => train - 1 + i);
  return PEER_NAMES.map((name) => {
    const fresh = PEERS[name].fit(y.subarray(0, train), m) as FittedPeer;
    assert.ok(!('skipped' in fresh), name);
    const state = JSON.parse(JSON.stringify(fresh.state)) as never;
    const stored = PEERS[name].restore(state, y.subarray(0, train), m) as FittedPeer;
    const out = { name, fresh, stored, origins, a: fresh.forecast(y, origins, h), b: stored.forecast(y, origins, h) };
    fresh.dispose?.();
    stored.dispose?.();
    return out;
  });
}

test('a fit restored from its stored state forecasts exactly as the fresh fit: AirPassengers and hourly.csv', () => {
  for (const [y, train, m, h] of [
    [air, 120, 12, 12],
    [hourly, 1000, 24, 24],
  ] as const)
    for (const { name, fresh, stored, a, b } of freshAndStored(y, train, m, h)) {
      assert.equal(stored.describe, fresh.describe, name);
      assert.deepEqual(b.values, a.values, `${name}: the stored fit's forecasts differ`);
      assert.equal(b.fallbacks, a.fallbacks);
    }
});

test('a stored ARIMA remakes ctsa’s filter where a short history needs it: the recursion alone would differ there', () => {
  const arima = freshAndStored(hourly, 400, 24, 24).find((r) => r.name === 'arima');
  assert.ok(arima);
  const state = arima.fresh.state as Parameters<typeof arimaForecasts>[0] & { n: number };
  assert.ok(state.sma.length + state.ma.length > 0, 'a model with MA terms');
  const recursion = arimaForecasts(state, hourly, arima.origins, 24).values;
  const gap = Math.max(...Array.from(recursion, (v, i) => Math.abs(v - arima.a.values[i])));
  assert.ok(gap > 1e-6, `the recursion equals ctsa's filter here (gap ${gap}): the test shows nothing`);
  assert.deepEqual(arima.b.values, arima.a.values);
});

interface Eval {
  targets: { baselines: Record<string, { mae: number; mase: number }> }[];
  notes: string[];
}

const evalJson = (checkpoint: string, ...flags: string[]): Eval => {
  const r = runCli('lstm-eval', [checkpoint, '--json', ...flags], tempDir());
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Eval;
};

/** A copy of the checkpoint whose card is changed by `edit`. */
function edited(checkpoint: string, edit: (card: { fitted: { forecast: Record<string, unknown> } }) => void) {
  const copy = join(tempDir(), 'checkpoint');
  cpSync(checkpoint, copy, { recursive: true });
  const meta = join(copy, 'meta.json');
  const card = JSON.parse(readFileSync(meta, 'utf8')) as Parameters<typeof edit>[0];
  edit(card);
  writeFileSync(meta, JSON.stringify(card));
  return copy;
}

const peerScores = (e: Eval) => PEER_NAMES.map((n) => e.targets[0].baselines[n]);
const storedNotes = (e: Eval) => e.notes.filter((n) => n.includes('at training, stored in the checkpoint'));

let run: string;
before(() => {
  const config = smallForecastConfig({ name: 'stored' });
  run = trainRun({
    ...config,
    data: { ...config.data, horizon: 3, season: 12 },
    train: { ...config.train, epochs: 1 },
  });
});

test('lstm-train stores the three fits in every checkpoint’s card; lstm-eval uses them, scoring as a refit does', () => {
  const card = (c: string) => JSON.parse(readFileSync(join(run, 'checkpoints', c, 'meta.json'), 'utf8'));
  const peers = card('best').fitted.forecast.peers;
  assert.deepEqual(card('epoch-0001').fitted.forecast.peers, peers);
  for (const name of PEER_NAMES) assert.ok(!('skipped' in peers.fits[0][name]), JSON.stringify(peers.fits[0][name]));
  const best = join(run, 'checkpoints', 'best');
  const stored = evalJson(best);
  assert.equal(storedNotes(stored).length, 3, stored.notes.join('\n'));
  const refit = evalJson(edited(best, (c) => delete c.fitted.forecast.peers));
  assert.equal(storedNotes(refit).length, 0, refit.notes.join('\n'));
  assert.deepEqual(peerScores(stored), peerScores(refit)); // exactly: JSON keeps every float64
  const otherFile = join(tempDir(), 'same.csv');
  cpSync(join(DATA, 'sine.csv'), otherFile);
  const onData = evalJson(best, '--data', otherFile);
  assert.equal(storedNotes(onData).length, 3, 'the training data is the card’s, whatever --data evaluates');
});

test('stored fits made on other values are not used: the peers are refitted, with a note', () => {
  const best = join(run, 'checkpoints', 'best');
  const changed = evalJson(
    edited(best, (c) => ((c.fitted.forecast.peers as { fits: { hash: string }[] }).fits[0].hash = '00000000')),
  );
  assert.equal(storedNotes(changed).length, 0);
  assert.ok(changed.notes.some((n) => /^peers refitted: the training data's values differ/.test(n)));
  assert.deepEqual(peerScores(changed), peerScores(evalJson(best)));
});

test('a stored fit with a bad field is exit 2 naming meta.json and the field', () => {
  const bad = edited(join(run, 'checkpoints', 'best'), (c) => {
    (c.fitted.forecast.peers as { fits: { ets: Record<string, unknown> }[] }).fits[0].ets.alpha = 'high';
  });
  const r = runCli('lstm-eval', [bad], tempDir());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /meta\.json: .*fitted\.forecast\.peers\.fits\[0\]\.ets\.alpha: expected a number, got "high"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('a card-2 fixture, written before the peers were stored, still evaluates with them, fitted now', () => {
  const f = v2Fixture('sine');
  const r = runCli('lstm-eval', [f.checkpoint, '--json'], f.dir);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Eval;
  for (const name of PEER_NAMES) assert.ok(Number.isFinite(report.targets[0].baselines[name]?.mae), name);
  assert.equal(storedNotes(report).length, 0);
});
