// predict.js: an exported lstm-train model's predictions from raw rows, in a web page or in Node.
// Written beside model.json (or model.onnx) by lstm-export; preprocess.json beside it holds what the model was
// trained with (columns, scalers, window, classes). No dependency: @tensorflow/tfjs is passed in (or is the page's
// global `tf`), and any other runtime can be plugged in through createPredictor. The rows it returns are those of
// `lstm-predict --json`. Not done here (each is refused with a message): filling empty cells or gaps in the time
// column, and forecasting past the model's horizon.

/** Loads model.json and preprocess.json from `base` (a URL, or in Node a folder) and returns a predictor. */
export async function loadPredictor(base, tf = globalThis.tf) {
  if (!tf) throw new Error('loadPredictor: pass @tensorflow/tfjs as the second argument, or load tf.min.js first');
  const files = await filesAt(base);
  const preprocess = JSON.parse(await files.text('preprocess.json'));
  return createPredictor(preprocess, tfjsRunner(tf, await files.model(tf)));
}

/** `run` for a tfjs LayersModel: inputs x [batch, steps, features] (and the mask [batch, steps]), flat outputs. */
export function tfjsRunner(tf, model) {
  return async (x, mask, [batch, steps, features]) => {
    const inputs = [tf.tensor3d(x, [batch, steps, features]), ...(mask ? [tf.tensor2d(mask, [batch, steps])] : [])];
    const output = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const values = await output.data();
    tf.dispose([...inputs, output]);
    return values;
  };
}

/**
 * A predictor over any runtime: `run(x, mask, shape)` gets the model's scaled inputs (Float32Arrays, mask undefined
 * unless the model takes one) and resolves to its flat outputs. `predict(rows)`: rows are objects keyed by column
 * (numbers or the CSV's text); it resolves to { rows, notes } in original units, as lstm-predict --json prints them.
 */
export function createPredictor(preprocess, run) {
  if (preprocess.format !== 'lstm-train-preprocess' || preprocess.version !== 1)
    throw new Error(
      'createPredictor: expected preprocess.json of lstm-export (format lstm-train-preprocess, version 1)',
    );
  const predict = (rows) => (preprocess.task === 'forecast' ? forecast : classify)(preprocess, run, rows);
  return { preprocess, predict };
}

/** A CSV text's rows as objects keyed by its header (RFC 4180 quotes; cells stay text). */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let cell = '';
  let quoted = false;
  const endRecord = () => {
    record.push(cell);
    records.push(record);
    record = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) cell += ch;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) endRecord();
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

async function filesAt(base) {
  const node = typeof globalThis.process?.versions?.node === 'string' && !/^(https?|file):/.test(String(base));
  if (!node) {
    const root = new URL(String(base).replace(/\/?$/, '/'), globalThis.location?.href);
    const text = async (name) => {
      const response = await globalThis.fetch(new URL(name, root));
      if (!response.ok) throw new Error(`${new URL(name, root).href}: HTTP ${response.status}`);
      return response.text();
    };
    return { text, model: (tf) => tf.loadLayersModel(new URL('model.json', root).href) };
  }
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const model = async (tf) => {
    const json = JSON.parse(await readFile(join(base, 'model.json'), 'utf8'));
    const groups = json.weightsManifest;
    const parts = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readFile(join(base, p))));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    const weightSpecs = groups.flatMap((g) => g.weights);
    return tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: bytes.buffer }),
    );
  };
  return { text: (name) => readFile(join(base, name), 'utf8'), model };
}

// ---- cells ----

function numberAt(row, column, where) {
  const cell = row[column];
  const value = typeof cell === 'number' ? cell : typeof cell === 'string' && cell.trim() !== '' ? Number(cell) : NaN;
  if (!Number.isFinite(value))
    throw new Error(`${where}: column "${column}": expected a number, found ${JSON.stringify(cell ?? null)}`);
  return value;
}

const textAt = (row, column) => (row[column] === undefined || row[column] === null ? '' : String(row[column]).trim());
const NATURAL = new Intl.Collator('en', { numeric: true });

// ---- forecast ----

async function forecast(p, run, rows) {
  const f = p.forecast;
  const bySeries = new Map();
  for (const row of rows) {
    const name = f.seriesId.map((c) => textAt(row, c)).join('/');
    bySeries.set(name, [...(bySeries.get(name) ?? []), row]);
  }
  const names = [...bySeries.keys()].sort(NATURAL.compare);
  const windows = names.map((name) => seriesWindow(p, name, bySeries.get(name)));
  const [steps, features] = [f.window, p.features.length];
  const x = new Float32Array(windows.length * steps * features);
  windows.forEach((w, b) => x.set(w.x, b * steps * features));
  const out = await run(x, undefined, [windows.length, steps, features]);
  const width = f.leads.length * f.targets.length;
  const many = names.length > 1;
  return {
    rows: windows.flatMap((w, b) => forecastRows(p, w, out.subarray(b * width, (b + 1) * width), many)),
    notes: p.notes,
  };
}

/** The last window of one series' rows, scaled and taken relative to its level: x [window, features], restore. */
function seriesWindow(p, name, rows) {
  const f = p.forecast;
  const where = name === '' ? 'rows' : `series ${JSON.stringify(name)}`;
  const own = f.seriesScalers
    ? f.seriesScalers[name]
    : { featureScaler: f.featureScaler, targetScaler: f.targetScaler };
  if (!own) throw new Error(`${where}: not among the series the model was trained on (each has its own scalers)`);
  const timed = f.time ? rows.map((row) => ({ row, t: timeAt(row, f.time, where) })).sort((a, b) => a.t - b.t) : [];
  const ordered = f.time ? timed.map((r) => r.row) : rows;
  if (ordered.length < f.window)
    throw new Error(`${where}: expected a whole window (${f.window} rows), found ${ordered.length}`);
  const first = ordered.length - f.window;
  const last = ordered.slice(first);
  const times = f.time ? timed.slice(first).map((r) => r.t) : [];
  if (f.time?.frequency && f.gaps !== 'ignore')
    for (let r = 1; r < times.length; r++)
      if (stepTime(times[r - 1], 1, f.time.frequency) !== times[r])
        throw new Error(
          `${where}: rows are not one step apart at ${textAt(last[r], f.time.column)}: predict.js fills no gaps`,
        );
  const width = p.features.length;
  const x = new Float32Array(f.window * width);
  const y = new Float32Array(f.window * f.targets.length);
  last.forEach((row, r) => {
    const at = `${where}, window row ${r + 1}`;
    f.numeric.forEach(
      (c, k) => (x[r * width + k] = (numberAt(row, c, at) - own.featureScaler.offset[k]) / own.featureScaler.scale[k]),
    );
    let col = f.numeric.length;
    for (const { column, levels } of f.categories) {
      const k = levels.indexOf(textAt(row, column));
      if (k >= 0) x[r * width + col + k] = 1; // a level unseen in training is all zeros
      col += levels.length;
    }
    f.calendar.forEach((feature, k) => {
      const phase = 2 * Math.PI * calendarPhase(feature, times[r], f.time.form);
      x[r * width + col + 2 * k] = Math.sin(phase);
      x[r * width + col + 2 * k + 1] = Math.cos(phase);
    });
    f.targets.forEach((c, j) => {
      // the window's level needs the target's own values: 'last' always, 'standardize' when it is not an input
      const needed = f.windowLevel === 'last' || (f.windowLevel === 'standardize' && f.targetFeature[j] < 0);
      y[r * f.targets.length + j] =
        needed || row[c] !== undefined
          ? (numberAt(row, c, at) - own.targetScaler.offset[j]) / own.targetScaler.scale[j]
          : NaN;
    });
  });
  return { name, x, restore: windowLevel(p, x, y), scaler: own.targetScaler, time: times.at(-1) };
}

/** Mean and spread of column `col` of a [rows, width] matrix; the spread is at least minSpread. */
function stats(m, width, col, minSpread) {
  const rows = m.length / width;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += m[r * width + col];
  const mean = sum / rows;
  let ss = 0;
  for (let r = 0; r < rows; r++) ss += (m[r * width + col] - mean) ** 2;
  return [mean, Math.max(minSpread, Math.sqrt(ss / rows))];
}

/** data.windowLevel on one window, x changed in place: what each target's output is restored with. */
function windowLevel(p, x, y) {
  const f = p.forecast;
  const [width, t] = [p.features.length, f.targets.length];
  const offset = new Float32Array(t);
  const scale = new Float32Array(t).fill(1);
  if (f.windowLevel === 'absolute') return { offset, scale };
  const xOffset = new Float32Array(width);
  const xScale = new Float32Array(width).fill(1);
  if (f.windowLevel === 'standardize')
    for (let k = 0; k < f.numeric.length; k++) [xOffset[k], xScale[k]] = stats(x, width, k, f.minSpread);
  const lastRow = f.window - 1;
  f.targets.forEach((_, j) => {
    const k = f.targetFeature[j];
    if (f.windowLevel === 'last') {
      offset[j] = y[lastRow * t + j];
      if (k >= 0) xOffset[k] = x[lastRow * width + k];
    } else if (k >= 0) [offset[j], scale[j]] = [xOffset[k], xScale[k]];
    else [offset[j], scale[j]] = stats(y, t, j, f.minSpread);
  });
  for (let k = 0; k < x.length; k++) x[k] = (x[k] - xOffset[k % width]) / xScale[k % width];
  return { offset, scale };
}

const levelName = (level) => String(Number((level * 100).toPrecision(6)));

function forecastRows(p, w, out, many) {
  const f = p.forecast;
  const t = f.targets.length;
  return f.leads.map((step, k) => {
    const row = { ...(many ? { series: w.name } : {}), step };
    if (f.time?.frequency) row.time = formatTime(stepTime(w.time, step, f.time.frequency), f.time.form);
    f.targets.forEach((target, j) => {
      // float32 after each step, as lstm-train computes it
      const scaled = Math.fround(out[k * t + j] * w.restore.scale[j] + w.restore.offset[j]);
      const value = Math.fround(scaled * w.scaler.scale[j] + w.scaler.offset[j]);
      row[target] = value;
      f.intervals?.levels.forEach((level, l) => {
        const width = (f.intervals.widths[l][k][j] ?? Infinity) * (f.intervals.perSeries ? w.scaler.scale[j] : 1);
        row[`${target}_lower_${levelName(level)}`] = value - width;
        row[`${target}_upper_${levelName(level)}`] = value + width;
      });
    });
    return row;
  });
}

// ---- classify ----

async function classify(p, run, rows) {
  const c = p.classify;
  const sequences = c.layout === 'wide' ? wideSequences(c, rows) : longSequences(c, rows);
  const [steps, features] = [c.steps, c.features.length];
  const x = new Float32Array(sequences.length * steps * features);
  const mask = c.layout === 'long' ? new Float32Array(sequences.length * steps) : undefined;
  sequences.forEach((s, b) => {
    if (s.values.length > steps)
      throw new Error(`sequence ${JSON.stringify(s.id)} has ${s.values.length} steps; expected at most ${steps}`);
    s.values.forEach((v, step) => {
      v.forEach(
        (value, k) =>
          (x[(b * steps + step) * features + k] = (value - c.featureScaler.offset[k]) / c.featureScaler.scale[k]),
      );
      if (mask) mask[b * steps + step] = 1;
    });
  });
  const out = await run(x, mask, [sequences.length, steps, features]);
  const k = c.classes.length;
  const result = sequences.map((s, b) => {
    const probabilities = Array.from(out.subarray(b * k, (b + 1) * k));
    const best = probabilities.indexOf(Math.max(...probabilities));
    return {
      sequence: s.id,
      label: c.classes[best],
      ...Object.fromEntries(c.classes.map((name, i) => [`p_${name}`, probabilities[i]])),
    };
  });
  return { rows: result, notes: p.notes };
}

/** Wide layout: one sequence per row, its columns <feature>_<step>. */
const wideSequences = (c, rows) =>
  rows.map((row, id) => ({
    id,
    values: Array.from({ length: c.steps }, (_, t) =>
      c.features.map((name) => numberAt(row, `${name}_${t}`, `row ${id + 1}`)),
    ),
  }));

/** Long layout: one step per row, grouped by the sequence id (first appearance), ordered by orderBy when set. */
function longSequences(c, rows) {
  const groups = new Map();
  for (const row of rows) {
    const id = textAt(row, c.sequenceId);
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  const numeric =
    c.orderBy !== undefined &&
    rows.every((r) => textAt(r, c.orderBy) !== '' && Number.isFinite(Number(textAt(r, c.orderBy))));
  const key = (row) => (numeric ? Number(textAt(row, c.orderBy)) : textAt(row, c.orderBy));
  return [...groups].map(([id, members]) => {
    const ordered =
      c.orderBy === undefined ? members : [...members].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return {
      id,
      values: ordered.map((row) => c.features.map((name) => numberAt(row, name, `sequence ${JSON.stringify(id)}`))),
    };
  });
}

// ---- time: as lstm-train reads, steps and writes it (src/data/time.ts, src/data/features.ts) ----

const DAY = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const zoneMinutes = (zone) =>
  !zone || zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate(); // month 1-based
const pad = (n, width = 2) => String(n).padStart(width, '0');

/** A time cell as ms since 1970 (dates, date-times) or the number itself. */
function timeAt(row, time, where) {
  const cell = textAt(row, time.column);
  if (time.form.kind === 'number') return numberAt(row, time.column, where);
  const m = ISO.exec(cell);
  if (!m)
    throw new Error(`${where}: column "${time.column}": expected a date or date-time, found ${JSON.stringify(cell)}`);
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0));
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - zoneMinutes(m[8]) * 60_000;
}

function formatTime(value, form) {
  if (form.kind === 'number') return String(Number(value.toPrecision(12)));
  const t = new Date(value + (form.kind === 'datetime' ? zoneMinutes(form.zone) : 0) * 60_000);
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  if (form.kind === 'date') return date;
  let time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  if (form.seconds) time += `:${pad(t.getUTCSeconds())}`;
  if (form.seconds && form.fraction > 0)
    time += `.${pad(t.getUTCMilliseconds(), 3).padEnd(form.fraction, '0').slice(0, form.fraction)}`;
  return `${date}${form.separator}${time}${form.zone}`;
}

function stepTime(value, k, f) {
  if (f.unit === 'fixed') return value + k * f.step;
  const t = new Date(value);
  const target = t.getUTCFullYear() * 12 + t.getUTCMonth() + k * f.step;
  const [year, month] = [Math.floor(target / 12), target % 12];
  const day = f.monthEnd ? daysIn(year, month + 1) : Math.min(t.getUTCDate(), daysIn(year, month + 1));
  return Date.UTC(year, month, day) + (((value % DAY) + DAY) % DAY);
}

/** A calendar feature's phase in [0, 1) at a time, on the file's own wall clock (its zone). */
function calendarPhase(feature, value, form) {
  const local = value + (form.kind === 'datetime' ? zoneMinutes(form.zone) : 0) * 60_000;
  const t = new Date(local);
  const year = t.getUTCFullYear();
  if (feature === 'hourOfDay') return (((local % DAY) + DAY) % DAY) / DAY;
  if (feature === 'dayOfWeek') return (t.getUTCDay() + t.getUTCHours() / 24) / 7;
  if (feature === 'dayOfMonth') return (t.getUTCDate() - 1) / daysIn(year, t.getUTCMonth() + 1);
  if (feature === 'month') return t.getUTCMonth() / 12;
  const start = Date.UTC(year, 0, 1);
  return (Date.UTC(year, t.getUTCMonth(), t.getUTCDate()) - start) / DAY / (daysIn(year, 2) === 29 ? 366 : 365);
}
