// R's forecast package on series from R's datasets, each fitted on all but its last season (10 values without one)
// and forecasting it: thetaf, ets and auto.arima, with the model each chose. What our peers are compared with
// (test/task/peers-r.test.ts, bench/peers-r.ts). Needs Rscript and the forecast package (Debian: r-cran-forecast).
import { spawnSync } from 'node:child_process';

export const R_SERIES = ['AirPassengers', 'UKgas', 'USAccDeaths', 'ldeaths', 'co2', 'austres', 'WWWusage', 'nottem'];

const SCRIPT = (names: string[]) => `
suppressMessages(library(forecast))
out <- function(...) cat(paste(..., sep = "|"), "\\n", sep = "")
for (nm in c(${names.map((n) => JSON.stringify(n)).join(', ')})) {
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

export interface RSeries {
  /** frequency(y): the season */
  m: number;
  y: Float64Array;
  /** per method (theta, ets, arima): the model R chose and its forecasts of the held-out season */
  forecasts: Record<string, { model: string; values: number[] }>;
}

/** R's forecasts of `names`, or why they cannot be had (no Rscript, no forecast package). */
export function rForecasts(names = R_SERIES): Map<string, RSeries> | string {
  const probe = spawnSync('Rscript', ['-e', 'library(forecast)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'Rscript with the forecast package is not installed';
  const r = spawnSync('Rscript', ['-e', SCRIPT(names)], { encoding: 'utf8' });
  if (r.status !== 0) return `Rscript failed: ${r.stderr}`;
  const all = new Map<string, RSeries>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, kind, model, values] = line.split('|');
    const numbers = values.split(',').map(Number);
    if (kind === 'series') all.set(name, { m: Number(model), y: Float64Array.from(numbers), forecasts: {} });
    else {
      const series = all.get(name);
      if (series) series.forecasts[kind] = { model: model.trim(), values: numbers };
    }
  }
  return all;
}
