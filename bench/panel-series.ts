// The panel's classic series: R's (R's datasets and the forecast package's woolyrnq), written to CSV by Rscript at
// bench time, and statsmodels' (by Python), with R's ets, auto.arima and thetaf as references fitted on the same
// training part as our model.
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
type Shape = { window: number; horizon: number; season?: number };
export const R_PANEL: [string, string, Shape][] = [
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

// statsmodels' series (Debian's python3-statsmodels), written to <dir>/<name>.csv by /usr/bin/python3; R's
// references are fitted on them too where R's ets and auto.arima take their frequency (not 52 weeks).
const WEEKLY = { window: 104, horizon: 13, season: 52 };
const CYCLES = { window: 22, horizon: 11 };
export const STATSMODELS_PANEL: [string, string, Shape, number | undefined][] = [
  ['sunspots', 'sunspot activity, annual 1700–2008 (309, statsmodels)', CYCLES, 1],
  ['elnino', 'El Niño sea surface temperature, monthly 1950–2010 (732, statsmodels)', MONTHLY, 12],
  ['co2-weekly', 'CO2 at Mauna Loa, weekly 1958–2001 (2284, gaps carried forward; statsmodels)', WEEKLY, undefined],
];

const PYTHON = (dir: string) => `
import statsmodels.api as sm, pandas as pd, os
d = ${JSON.stringify(dir)}
def write(name, dates, values):
    pd.DataFrame({"date": dates, "value": values}).to_csv(os.path.join(d, name + ".csv"), index=False)
s = sm.datasets.sunspots.load_pandas().data
write("sunspots", ["%04d-01-01" % int(y) for y in s.YEAR], s.SUNACTIVITY)
e = sm.datasets.elnino.load_pandas().data.melt(id_vars="YEAR", var_name="month", value_name="value")
months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
e["m"] = e.month.map(months.index) + 1
e = e.sort_values(["YEAR", "m"])
write("elnino", ["%04d-%02d-01" % (int(y), m) for y, m in zip(e.YEAR, e.m)], e.value)
c = sm.datasets.co2.load_pandas().data.co2.ffill()
write("co2-weekly", [t.strftime("%Y-%m-%d") for t in c.index], c.values)
`;

// Each series to <dir>/<name>.csv (date,value); ets and auto.arima fitted on the training part (all but the last
// 2h), their parameters and states run on through val (ets use.initial.values, Arima(model =)) to the test origin;
// thetaf has no reusable model, so it is fitted on the history up to that origin (train and val).
const SCRIPT = (dir: string, csvs: [string, number, number][]) => `
suppressMessages(library(forecast))
out <- function(...) cat(paste(..., sep = "|"), "\\n", sep = "")
refs <- function(nm, y, h) {
  f <- frequency(y); n <- length(y)
  train <- ts(as.numeric(y)[1:(n - 2 * h)], frequency = f)
  hist <- ts(as.numeric(y)[1:(n - h)], frequency = f)
  e <- ets(train); a <- auto.arima(train)
  out(nm, "R ets", e$method, paste(forecast(ets(hist, model = e, use.initial.values = TRUE), h = h)$mean, collapse = ","))
  out(nm, "R auto.arima", paste(arimaorder(a), collapse = ","), paste(forecast(Arima(hist, model = a), h = h)$mean, collapse = ","))
  out(nm, "R thetaf", "Theta", paste(thetaf(hist, h = h)$mean, collapse = ","))
}
hs <- c(${R_PANEL.map(([n, , s]) => `${n} = ${s.horizon}`).join(', ')})
for (nm in names(hs)) {
  y <- get(nm); h <- hs[[nm]]; f <- frequency(y); n <- length(y)
  month <- if (f == 12) cycle(y) else if (f == 4) (cycle(y) - 1) * 3 + 1 else rep(1, n)
  d <- sprintf("%04d-%02d-01", as.integer(floor(time(y) + 1e-6)), as.integer(month))
  write.csv(data.frame(date = d, value = as.numeric(y)), file.path(${JSON.stringify(dir)}, paste0(nm, ".csv")),
            row.names = FALSE, quote = FALSE)
  refs(nm, y, h)
}
${csvs.map(([n, f, h]) => `refs("${n}", ts(read.csv(file.path(${JSON.stringify(dir)}, "${n}.csv"))$value, frequency = ${f}), ${h})`).join('\n')}
`;

const seriesOf = ([name, about, shape]: [string, string, Shape, ...unknown[]], dir: string): PanelSeries => ({
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
});

/**
 * The classic series written into `dir`: R's (by Rscript) and statsmodels' (by Python), with R's test forecasts per
 * series and method; `missing` says what was left out and why (R or statsmodels not installed).
 */
export function classicPanel(dir: string): {
  series: PanelSeries[];
  forecasts: Map<string, Record<string, number[]>>;
  missing: string[];
} {
  const missing: string[] = [];
  const series: PanelSeries[] = [];
  const py = spawnSync('/usr/bin/python3', ['-c', PYTHON(dir)], { encoding: 'utf8' });
  const fromPython = py.status === 0 && !py.error;
  if (fromPython) series.push(...STATSMODELS_PANEL.map((e) => seriesOf(e, dir)));
  else
    missing.push(
      "statsmodels' series: /usr/bin/python3 could not write them (apt-get install python3-statsmodels " +
        `python3-pandas): ${py.error?.message ?? py.stderr.trim().split('\n').at(-1)}`,
    );
  const forecasts = new Map<string, Record<string, number[]>>();
  const probe = spawnSync('Rscript', ['-e', 'library(forecast)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    missing.push(
      "R's series and references: Rscript with the forecast package is not installed (apt-get install r-base-core r-cran-forecast)",
    );
    return { series, forecasts, missing };
  }
  const csvs = fromPython
    ? STATSMODELS_PANEL.flatMap(([n, , s, f]): [string, number, number][] =>
        f === undefined ? [] : [[n, f, s.horizon]],
      )
    : [];
  const r = spawnSync('Rscript', ['-e', SCRIPT(dir, csvs)], { encoding: 'utf8' });
  if (r.status !== 0) {
    missing.push(`R's series and references: Rscript failed: ${r.stderr}`);
    return { series, forecasts, missing };
  }
  for (const line of r.stdout.trim().split('\n')) {
    const [name, method, , values] = line.split('|');
    (forecasts.get(name) ?? forecasts.set(name, {}).get(name)!)[method] = values.split(',').map(Number);
  }
  series.unshift(...R_PANEL.map((e) => seriesOf(e, dir)));
  return { series, forecasts, missing };
}
