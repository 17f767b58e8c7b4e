// The panel's series from R (R's datasets and the forecast package's woolyrnq): written to CSV by Rscript at bench
// time, with R's ets, auto.arima and thetaf as references fitted on the same training part as our model.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface PanelSeries {
  name: string;
  about: string;
  /** the CSV and its data config (split by row counts: val and test one horizon each) */
  path: string;
  data: Record<string, unknown>;
  horizon: number;
}

const MONTHLY = { window: 24, horizon: 12, season: 12 };
const QUARTERLY = { window: 12, horizon: 8, season: 4 };
const ANNUAL = { window: 10, horizon: 5 };

/** R's series: name, what it is, its shape. */
export const R_PANEL: [string, string, typeof MONTHLY | typeof ANNUAL][] = [
  ['AirPassengers', 'airline passengers, monthly 1949–60 (144)', MONTHLY],
  ['co2', 'CO2 at Mauna Loa, monthly 1959–97 (468)', MONTHLY],
  ['USAccDeaths', 'accidental deaths US, monthly 1973–78 (72)', MONTHLY],
  ['ldeaths', 'lung disease deaths UK, monthly 1974–79 (72)', MONTHLY],
  ['UKgas', 'UK gas consumption, quarterly 1960–86 (108)', QUARTERLY],
  ['JohnsonJohnson', 'J&J earnings per share, quarterly 1960–80 (84)', QUARTERLY],
  ['austres', 'Australian residents, quarterly 1971–93 (89)', QUARTERLY],
  ['woolyrnq', 'woollen yarn, quarterly 1965–94 (119, forecast pkg)', QUARTERLY],
  ['Nile', 'Nile flow, annual 1871–1970 (100)', ANNUAL],
  ['lynx', 'lynx trappings, annual 1821–1934 (114)', ANNUAL],
];

// Each series to <dir>/<name>.csv (date,value); ets and auto.arima fitted on the training part (all but the last
// 2h), their parameters and states run on through val (ets use.initial.values, Arima(model =)) to the test origin;
// thetaf has no reusable model, so it is fitted on the history up to that origin (train and val).
const SCRIPT = (dir: string) => `
suppressMessages(library(forecast))
out <- function(...) cat(paste(..., sep = "|"), "\\n", sep = "")
hs <- c(${R_PANEL.map(([n, , s]) => `${n} = ${s.horizon}`).join(', ')})
for (nm in names(hs)) {
  y <- get(nm); h <- hs[[nm]]; f <- frequency(y); n <- length(y)
  month <- if (f == 12) cycle(y) else if (f == 4) (cycle(y) - 1) * 3 + 1 else rep(1, n)
  d <- sprintf("%04d-%02d-01", as.integer(floor(time(y) + 1e-6)), as.integer(month))
  write.csv(data.frame(date = d, value = as.numeric(y)), file.path(${JSON.stringify(dir)}, paste0(nm, ".csv")),
            row.names = FALSE, quote = FALSE)
  train <- ts(as.numeric(y)[1:(n - 2 * h)], frequency = f)
  hist <- ts(as.numeric(y)[1:(n - h)], frequency = f)
  e <- ets(train); a <- auto.arima(train)
  out(nm, "R ets", e$method, paste(forecast(ets(hist, model = e, use.initial.values = TRUE), h = h)$mean, collapse = ","))
  out(nm, "R auto.arima", paste(arimaorder(a), collapse = ","), paste(forecast(Arima(hist, model = a), h = h)$mean, collapse = ","))
  out(nm, "R thetaf", "Theta", paste(thetaf(hist, h = h)$mean, collapse = ","))
}`;

/** R's series written into `dir` and R's test forecasts per series and method, or why R cannot give them. */
export function rPanel(
  dir: string,
): { series: PanelSeries[]; forecasts: Map<string, Record<string, number[]>> } | string {
  const probe = spawnSync('Rscript', ['-e', 'library(forecast)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'Rscript with the forecast package is not installed';
  const r = spawnSync('Rscript', ['-e', SCRIPT(dir)], { encoding: 'utf8' });
  if (r.status !== 0) return `Rscript failed: ${r.stderr}`;
  const forecasts = new Map<string, Record<string, number[]>>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, method, , values] = line.split('|');
    (forecasts.get(name) ?? forecasts.set(name, {}).get(name)!)[method] = values.split(',').map(Number);
  }
  const series = R_PANEL.map(([name, about, shape]) => ({
    name,
    about,
    path: join(dir, `${name}.csv`),
    horizon: shape.horizon,
    data: {
      time: 'date',
      features: ['value'],
      targets: ['value'],
      ...shape,
      split: { val: shape.horizon, test: shape.horizon },
    },
  }));
  return { series, forecasts };
}
