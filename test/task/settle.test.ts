// data.windowLevel "auto": a file whose series ARIMA's unit-root tests leave undifferenced is read at absolute
// levels (it reverts to its mean); one that needs differencing keeps standardize; a level given is kept as given.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../../src/config/schema.js';
import { settleForecast } from '../../src/task/forecast/settle.js';
import { peerFitsOf } from '../../src/task/forecast/peers/index.js';
import { forecastCfg, loadForecastText } from '../data/helpers.js';
import { useCpu } from '../models/helpers.js';

before(useCpu);

// a fixed pseudo-random sequence (a linear congruential generator), so the tests' series are the same every run
function noise(n: number, seed = 7): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
}
const text = (values: number[]) => ['v', ...values.map((v) => v.toFixed(4))].join('\n') + '\n';
// AR(1) around 50: stationary, it comes back to its mean
const stationary = noise(160).reduce<number[]>((xs, e) => [...xs, 50 + 0.6 * ((xs.at(-1) ?? 50) - 50) + 10 * e], []);
// a random walk with drift: it needs differencing
const walk = noise(160, 11).reduce<number[]>((xs, e) => [...xs, (xs.at(-1) ?? 50) + 0.3 + 4 * e], []);

async function settled(values: number[], windowLevel?: string) {
  const data = {
    targets: ['v'],
    window: 12,
    horizon: 3,
    split: { val: 3, test: 3 },
    ...(windowLevel ? { windowLevel } : {}),
  };
  const dataset = await loadForecastText(text(values), forecastCfg(data));
  const config = configSchema.parse({ data: { task: 'forecast', path: 'data.csv', ...data } });
  return { loaded: dataset, ...settleForecast(config, dataset) };
}

test('auto: a stationary series is read at absolute levels, with a note; its windows are cut again at them', async () => {
  const s = await settled(stationary);
  const arima = peerFitsOf(s.dataset).fits[0].arima;
  assert.ok(!('skipped' in arima) && arima.d === 0, 'ARIMA leaves the AR(1) series undifferenced');
  assert.equal(s.config.data.task === 'forecast' && s.config.data.windowLevel, 'absolute');
  assert.equal(s.dataset.forecast.windowLevel, 'absolute');
  assert.match(s.notes.join('\n'), /windowLevel "auto" is absolute: .*without a first difference/);
  // the same windows, now as the linear baseline reads them (levels, nothing restored)
  const split = s.dataset.splits.train;
  assert.deepEqual(Array.from(split.ends), Array.from(s.loaded.splits.train.ends));
  assert.equal(s.loaded.forecast.windowLevel, 'standardize', 'loaded as standardize until decided');
  const [cut, absolute] = [split.batch([0, 5]), split.absoluteBatch([0, 5])];
  assert.deepEqual(Array.from(cut.x), Array.from(absolute.x));
  assert.notDeepEqual(Array.from(cut.x), Array.from(s.loaded.splits.train.batch([0, 5]).x));
  // the peers are not fitted again for the windows cut again: the same fits
  assert.equal(peerFitsOf(s.dataset).fits[0], peerFitsOf(s.loaded).fits[0]);
});

test('auto: a random walk keeps standardize, without a note; a level given is kept as given', async () => {
  const walked = await settled(walk);
  const arima = peerFitsOf(walked.dataset).fits[0].arima;
  assert.ok(!('skipped' in arima) && arima.d >= 1, 'ARIMA differences the random walk');
  assert.equal(walked.config.data.task === 'forecast' && walked.config.data.windowLevel, 'standardize');
  assert.equal(walked.dataset.forecast.windowLevel, 'standardize');
  assert.deepEqual(walked.notes, []);
  const given = await settled(stationary, 'last');
  assert.equal(given.config.data.task === 'forecast' && given.config.data.windowLevel, 'last');
  assert.equal(given.dataset, given.loaded);
  assert.deepEqual(given.notes, []);
});

test("auto with weights trained already: the level they were trained at, whatever the data's tests say", async () => {
  const s = await settled(stationary);
  const trained = { ...s.config, data: { ...s.config.data, windowLevel: 'standardize' as const } };
  const auto = { ...s.config, data: { ...s.config.data, windowLevel: 'auto' as const } };
  const from = settleForecast(auto, s.loaded, { trained });
  assert.equal(from.config.data.task === 'forecast' && from.config.data.windowLevel, 'standardize');
  assert.equal(from.dataset.forecast.windowLevel, 'standardize');
  assert.deepEqual(from.notes, []);
});
