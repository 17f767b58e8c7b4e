// Our Theta, ETS and AutoARIMA beside R's thetaf, ets and auto.arima on real series from R's datasets, each fitted
// on all but its last season (10 values without one) and forecasting it. Runs where Rscript and the forecast
// package are installed (Debian: r-base-core, r-cran-forecast); skipped with a message elsewhere (CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PEERS, type PeerName } from '../../src/task/forecast/peers/index.js';

const SCRIPT = `
suppressMessages(library(forecast))
out <- function(...) cat(paste(..., sep = "|"), "\\n", sep = "")
for (nm in c("AirPassengers", "UKgas", "USAccDeaths", "ldeaths", "co2", "austres", "WWWusage")) {
  y <- get(nm); f <- frequency(y); h <- if (f > 1) f else 10; n <- length(y)
  train <- ts(as.numeric(y)[1:(n - h)], frequency = f)
  e <- ets(train); a <- auto.arima(train)
  out(nm, "series", f, paste(as.numeric(y), collapse = ","))
  out(nm, "theta", "Theta", paste(thetaf(train, h = h)$mean, collapse = ","))
  out(nm, "ets", e$method, paste(forecast(e, h = h)$mean, collapse = ","))
  a.order <- paste0("ARIMA(", paste(arimaorder(a)[1:3], collapse = ","), ")")
  if (length(arimaorder(a)) > 3 && sum(arimaorder(a)[4:6]) > 0)
    a.order <- paste0(a.order, "(", paste(arimaorder(a)[4:6], collapse = ","), ")[", f, "]")
  out(nm, "arima", a.order, paste(forecast(a, h = h)$mean, collapse = ","))
}`;

/** Where R's and our forecasts are compared, and how close they must be (relative to the series' level). */
const CHECKED: Record<PeerName, { series: string[]; tolerance: number; sameModel: boolean }> = {
  theta: { series: ['AirPassengers', 'UKgas', 'USAccDeaths', 'ldeaths', 'co2'], tolerance: 1e-5, sameModel: false },
  ets: { series: ['AirPassengers', 'UKgas', 'USAccDeaths', 'ldeaths', 'co2'], tolerance: 1e-2, sameModel: true },
  // ctsa's stepwise search ends elsewhere than R's on UKgas, USAccDeaths and ldeaths (different orders, gaps of 3–15%)
  arima: { series: ['AirPassengers', 'co2', 'austres', 'WWWusage'], tolerance: 1e-3, sameModel: true },
};

function fromR(): Map<string, Map<string, { model: string; values: number[] }>> | string {
  const probe = spawnSync('Rscript', ['-e', 'library(forecast)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'Rscript with the forecast package is not installed';
  const r = spawnSync('Rscript', ['-e', SCRIPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const all = new Map<string, Map<string, { model: string; values: number[] }>>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, kind, model, values] = line.split('|');
    if (!all.has(name)) all.set(name, new Map());
    all.get(name)?.set(kind, { model, values: values.split(',').map(Number) });
  }
  return all;
}

const reference = fromR();
const skip = typeof reference === 'string' ? `${reference}: nothing to compare with` : false;

for (const name of Object.keys(CHECKED) as PeerName[])
  test(`${name} forecasts as R's does on ${CHECKED[name].series.join(', ')}`, { skip }, () => {
    if (typeof reference === 'string') return;
    for (const series of CHECKED[name].series) {
      const r = reference.get(series);
      const data = r?.get('series');
      const theirs = r?.get(name);
      assert.ok(data && theirs, series);
      const [m, y] = [Number(data.model), Float64Array.from(data.values)];
      const h = theirs.values.length;
      const fit = PEERS[name].fit(y.subarray(0, y.length - h), m);
      assert.ok(!('skipped' in fit), `${series}: ${'skipped' in fit ? fit.skipped : ''}`);
      const ours = fit.forecast(y, Int32Array.of(y.length - h - 1), h).values;
      fit.dispose?.();
      if (CHECKED[name].sameModel)
        assert.ok(fit.describe.startsWith(theirs.model.trim()), `${series}: ${fit.describe} vs R's ${theirs.model}`);
      const level = theirs.values.reduce((a, v) => a + Math.abs(v), 0) / h;
      const gap = Math.max(...theirs.values.map((v, i) => Math.abs(ours[i] - v))) / level;
      assert.ok(gap < CHECKED[name].tolerance, `${series}: largest gap ${gap} of the level`);
    }
  });
