// Writes the shipped example data (data/*.csv), deterministically from fixed seeds. Run: npx tsx scripts/make-data.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from '../src/util/rng.js';

const TAU = 2 * Math.PI;

/**
 * Forecast data: `value` = two sines (periods 40 and 11.3) + a slow random drift + noise; `aux` = that drift
 * `lead` steps early (plus a little noise). The drift cannot be predicted from `value`'s past, so `aux` helps.
 */
export function sineCsv(opts: { rows?: number; seed?: number; lead?: number } = {}): string {
  const { rows = 3000, seed = 7, lead = 4 } = opts;
  const rng = new Rng(seed);
  const drift: number[] = [0];
  for (let t = 1; t < rows + lead; t++) drift.push(0.97 * drift[t - 1] + 0.12 * rng.normal());
  const lines = ['t,value,aux'];
  for (let t = 0; t < rows; t++) {
    const value = Math.sin((TAU * t) / 40) + 0.5 * Math.sin((TAU * t) / 11.3) + drift[t] + 0.1 * rng.normal();
    const aux = drift[t + lead] + 0.02 * rng.normal();
    lines.push(`${t},${value.toFixed(4)},${aux.toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

const HOUR = 3_600_000;
const hourText = (ms: number) => new Date(ms).toISOString().slice(0, 16); // 2023-01-01T00:00

/**
 * An hourly electricity-like load driven by temperature: `temp` has a yearly and a daily cycle plus persistent
 * weather (an AR(1) over hours); `load` = a level that grows through the series (so later months sit at levels the
 * first ones never reach) × (a daily profile with morning and evening peaks, lower at weekends) + heating below
 * 14° and cooling above 22° + noise. Daily (24) and weekly (168) seasonality, a covariate, a moving level.
 * `ahead`: that many more hours whose load is left empty (their temp known: a weather forecast), the same rows before.
 */
export function hourlyCsv(opts: { days?: number; seed?: number; start?: string; ahead?: number } = {}): string {
  const { days = 420, seed = 17, start = '2023-01-01T00:00:00Z', ahead = 0 } = opts;
  const rng = new Rng(seed);
  const t0 = Date.parse(start);
  const lines = ['time,load,temp'];
  let weather = 0;
  for (let h = 0; h < days * 24 + ahead; h++) {
    const when = new Date(t0 + h * HOUR);
    const [hour, weekday] = [when.getUTCHours(), when.getUTCDay()];
    const dayOfYear = (t0 + h * HOUR - Date.UTC(when.getUTCFullYear(), 0, 1)) / (24 * HOUR);
    weather = 0.985 * weather + 0.35 * rng.normal();
    const temp = 11 - 9 * Math.cos((TAU * (dayOfYear - 20)) / 365) - 3.5 * Math.cos((TAU * (hour - 3)) / 24) + weather;
    const level = 100 * (1 + (0.45 * h) / (days * 24));
    const weekend = weekday === 0 || weekday === 6;
    const peaks = Math.exp(-((hour - 8) ** 2) / 6) + 1.3 * Math.exp(-((hour - 19) ** 2) / 8);
    const profile = (weekend ? 0.8 : 1) * (0.75 + 0.35 * peaks) - (hour < 5 ? 0.1 : 0);
    const weatherLoad = 2.2 * Math.max(0, 14 - temp) + 3 * Math.max(0, temp - 22);
    const load = level * profile + weatherLoad + 2 * rng.normal();
    const known = h < days * 24 ? load.toFixed(2) : '';
    lines.push(`${hourText(when.getTime())},${known},${temp.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

const WEATHER = ['sun', 'cloud', 'rain', 'snow'] as const;

/**
 * Several stations' daily visitors, one row per station and day, rows shuffled as exported from a database:
 * `weather` is a persistent Markov chain (tomorrow is like today 9 times in 10), rain and snow keep visitors away,
 * weekends bring more, summer more still; each station has its own size and its own temperature. The category and
 * the calendar both carry signal that the numeric columns alone do not.
 */
export function stationsCsv(
  opts: { stations?: number; days?: number; seed?: number; stay?: number; noise?: number } = {},
): string {
  const { stations = 5, days = 730, seed = 23, stay: keep = 0.9, noise: spread = 0.1 } = opts;
  const rng = new Rng(seed);
  const t0 = Date.UTC(2022, 0, 1);
  const rows: string[] = [];
  for (let s = 0; s < stations; s++) {
    const size = 40 * (1 + s);
    let weather: (typeof WEATHER)[number] = 'sun';
    let noise = 0;
    for (let d = 0; d < days; d++) {
      const when = new Date(t0 + d * 86_400_000);
      const season = Math.sin((TAU * (d - 100)) / 365);
      const stay = rng.next() < keep;
      const snowy = season < -0.3;
      if (!stay) weather = WEATHER[Math.floor(rng.next() * (snowy ? 4 : 3))];
      const temp = 12 + 10 * season + 2 * s - (weather === 'rain' ? 3 : weather === 'snow' ? 6 : 0) + rng.normal();
      const weekend = when.getUTCDay() === 0 || when.getUTCDay() === 6;
      const factor = { sun: 1.25, cloud: 1, rain: 0.55, snow: 0.4 }[weather];
      noise = 0.5 * noise + spread * rng.normal();
      const visitors = size * factor * (weekend ? 1.6 : 1) * (1 + 0.25 * season) * (1 + noise);
      rows.push(`${when.toISOString().slice(0, 10)},st${s + 1},${weather},${temp.toFixed(1)},${visitors.toFixed(1)}`);
    }
  }
  rng.shuffle(rows);
  return ['date,station,weather,temp,visitors', ...rows].join('\n') + '\n';
}

/** One sequence of two noisy channels with a bump on x at time tx and on y at time ty: [steps][x, y]. */
function bumpSequence(rng: Rng, steps: number, tx: number, ty: number): [number, number][] {
  const bump = (t: number, at: number) => 2 * Math.exp(-((t - at) ** 2) / 2);
  return Array.from({ length: steps }, (_, t) => [0.3 * rng.normal() + bump(t, tx), 0.3 * rng.normal() + bump(t, ty)]);
}

/**
 * Two distinct bump times and the label: "xy" when x's bump comes first, else "yx". Both classes equally likely
 * and both channels hold exactly one bump, so only the ORDER tells them apart (a "same time" class is left out
 * on purpose: co-occurring bumps could be spotted without looking at order).
 */
function bumpTimes(rng: Rng, steps: number): { tx: number; ty: number; label: string } {
  const a = Math.floor(rng.next() * (steps - 1));
  const b = a + 1 + Math.floor(rng.next() * (steps - 1 - a));
  const label = rng.next() < 0.5 ? 'xy' : 'yx';
  return label === 'xy' ? { tx: a, ty: b, label } : { tx: b, ty: a, label };
}

/** Classify data, wide layout: `x_0,y_0,...,x_{steps-1},y_{steps-1},label`, one sequence per row. */
export function orderCsv(opts: { sequences?: number; steps?: number; seed?: number } = {}): string {
  const { sequences = 1500, steps = 20, seed = 11 } = opts;
  const rng = new Rng(seed);
  const header = Array.from({ length: steps }, (_, t) => `x_${t},y_${t}`).join(',') + ',label';
  const lines = [header];
  for (let i = 0; i < sequences; i++) {
    const { tx, ty, label } = bumpTimes(rng, steps);
    const cells = bumpSequence(rng, steps, tx, ty).flatMap(([x, y]) => [x.toFixed(3), y.toFixed(3)]);
    lines.push(`${cells.join(',')},${label}`);
  }
  return lines.join('\n') + '\n';
}

/** Classify data, long layout: `seq,step,x,y,label`, one step per row, sequences of 10..20 steps. */
export function orderLongCsv(
  opts: { sequences?: number; minSteps?: number; maxSteps?: number; seed?: number } = {},
): string {
  const { sequences = 300, minSteps = 10, maxSteps = 20, seed = 13 } = opts;
  const rng = new Rng(seed);
  const lines = ['seq,step,x,y,label'];
  for (let i = 0; i < sequences; i++) {
    const steps = minSteps + Math.floor(rng.next() * (maxSteps - minSteps + 1));
    const { tx, ty, label } = bumpTimes(rng, steps);
    bumpSequence(rng, steps, tx, ty).forEach(([x, y], t) =>
      lines.push(`s${i},${t},${x.toFixed(3)},${y.toFixed(3)},${label}`),
    );
  }
  return lines.join('\n') + '\n';
}

function main(): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['sine.csv', sineCsv()],
    ['order.csv', orderCsv()],
    ['order-long.csv', orderLongCsv()],
    ['hourly.csv', hourlyCsv()],
    ['hourly-ahead.csv', hourlyCsv({ ahead: 24 })],
    ['stations.csv', stationsCsv()],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  process.stdout.write(
    files.map(([name, text]) => `wrote data/${name} (${(text.length / 1024).toFixed(0)} KB)`).join('\n') + '\n',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
