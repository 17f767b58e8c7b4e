// --format web: a page that runs the export on the example rows it ships with, tfjs loaded from the folder itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import type { ModelCard } from '../checkpoint/model-card.js';
import { seriesName } from '../data/series-name.js';
import { parseTimeIn } from '../data/time.js';
import { isMissing, naSet } from '../data/cells.js';
import { DataError } from '../errors.js';
import type { Preprocess } from './preprocess.js';

/** How many series (forecast) or sequences (classify) the page shows. */
const EXAMPLES = { series: 3, sequences: 8 };

/** @tensorflow/tfjs's browser bundle, copied into the folder (a page that fetches nothing from elsewhere). */
export const tfMinJs = () => readFileSync(createRequire(import.meta.url).resolve('@tensorflow/tfjs/dist/tf.min.js'));

type Row = Record<string, string>;

/**
 * Example rows from a CSV with the training data's columns: forecast, the last window of each of the first few
 * series (in time order); classify, the rows of the first few sequences. As text, as the file has them.
 */
export function exampleRows(csvPath: string, p: Preprocess): { header: string[]; rows: Row[] } {
  const rows = parse<Row>(readFileSync(csvPath), { columns: true, skip_empty_lines: true, bom: true });
  const header = rows.length > 0 ? Object.keys(rows[0]) : [];
  if (rows.length === 0) throw new DataError(csvPath, 'expected rows to take the page’s examples from, found none');
  if (p.classify) {
    const c = p.classify;
    if (c.layout === 'wide') return { header, rows: rows.slice(0, EXAMPLES.sequences) };
    const ids = [...new Set(rows.map((r) => r[c.sequenceId ?? '']))].slice(0, EXAMPLES.sequences);
    return { header, rows: rows.filter((r) => ids.includes(r[c.sequenceId ?? ''])) };
  }
  const f = p.forecast!;
  const na = naSet(p.naValues);
  const bySeries = new Map<string, Row[]>();
  for (const r of rows) {
    const name = seriesName(f.seriesId.map((c) => r[c]));
    const group = bySeries.get(name);
    if (group) group.push(r);
    else bySeries.set(name, [r]);
  }
  const pattern = f.time?.form.kind === 'number' ? undefined : f.time?.form.pattern;
  const time = (r: Row) => (f.time ? (parseTimeIn(r[f.time.column]?.trim() ?? '', pattern)?.value ?? NaN) : 0);
  const picked = [...bySeries.values()].slice(0, EXAMPLES.series).flatMap((series) => {
    const ordered = f.time ? [...series].sort((a, b) => time(a) - time(b)) : series;
    if (!f.future) return ordered.slice(-f.window);
    // a model of known-future columns: a window, then `shift` rows as its future rows (their targets emptied)
    const observed = ordered.filter((r) => f.targets.some((t) => !isMissing(r[t], na)));
    const end = ordered.indexOf(observed.at(-1)!) + 1 - f.future.shift;
    const rows = ordered.slice(Math.max(0, end - f.window), end + f.future.shift);
    return rows.map((r, i) => (i < f.window ? r : { ...r, ...Object.fromEntries(f.targets.map((t) => [t, ''])) }));
  });
  return { header, rows: picked };
}

/** The rows as CSV text (each cell quoted when it needs to be), for lstm-predict --data. */
export function toCsvText(header: string[], rows: Row[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (
    [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))].map((l) => l.map(cell).join(',')).join('\n') + '\n'
  );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** index.html: loads ./tf.min.js, ./predict.js, the model and ./examples.json, and shows the predictions. */
export function indexHtml(card: ModelCard, p: Preprocess): string {
  const leads = p.forecast?.leads.length;
  const title = `${card.config.name}: ${p.forecast ? 'forecast' : 'classification'} with tfjs`;
  const what = leads
    ? `the next ${leads} step${leads > 1 ? 's' : ''} after each series’ last row`
    : 'a label for each sequence';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: right; }
  th { background: #f4f4f4; }
  code { background: #f4f4f4; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>This page runs the exported model in the browser on the example rows of <code>examples.json</code>: ${what},
in the data's own units. Swap in your own rows (objects keyed by column, as <code>predict.js</code>'s
<code>parseCsv</code> makes them from a CSV text).</p>
<p id="status">Loading the model…</p>
<table id="predictions"></table>
<script src="./tf.min.js"></script>
<script type="module">
import { loadPredictor } from './predict.js';

const status = document.getElementById('status');
try {
  // the cpu backend: for a model this small the fastest, and its numbers are lstm-predict's
  await tf.setBackend('cpu');
  const predictor = await loadPredictor('.', tf);
  const rows = await (await fetch('./examples.json')).json();
  const result = await predictor.predict(rows);
  show(result.rows);
  status.textContent = \`\${result.rows.length} predictions from \${rows.length} example rows\`;
  document.body.dataset.ready = 'true';
} catch (e) {
  status.textContent = \`error: \${e.message}\`;
  console.error(e);
}

function show(rows) {
  const table = document.getElementById('predictions');
  const columns = Object.keys(rows[0] ?? {});
  const cell = (tag, text) => Object.assign(document.createElement(tag), { textContent: text });
  const head = table.createTHead().insertRow();
  for (const c of columns) head.append(cell('th', c));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const c of columns) {
      const v = row[c];
      tr.append(cell('td', typeof v === 'number' ? String(Number(v.toPrecision(7))) : String(v)));
    }
  }
}
</script>
</body>
</html>
`;
}
