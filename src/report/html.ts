// The parts of a self-contained report page: escaping, tables, charts drawn by the inlined Vega runtime, the shell.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toVega, type VegaLiteSpec } from '../charts/render.js';
import { formatNumber, type Cell } from '../util/table.js';

/** Text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script> element: `<` escaped, so no "</script>" or "<!--" in the data can end it. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** A cell as shown; numbers keep their exact value in data-value, for readers and tests. */
function td(cell: Cell): string {
  if (typeof cell === 'number') return `<td class="num" data-value="${cell}">${esc(formatNumber(cell))}</td>`;
  return `<td>${esc(cell === undefined || cell === null ? '' : String(cell))}</td>`;
}

export function table(headers: string[], rows: Cell[][], opts: { id?: string; caption?: string } = {}): string {
  const id = opts.id === undefined ? '' : ` id="${esc(opts.id)}"`;
  const caption = opts.caption === undefined ? '' : `<caption>${esc(opts.caption)}</caption>`;
  const head = `<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</tbody>`;
  return `<table${id}>${caption}${head}${body}</table>`;
}

/** A definition list of facts: [label, value] pairs, values as text. */
export function facts(pairs: [string, string | number | undefined][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '');
  return `<dl class="facts">${shown.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(String(v))}</dd>`).join('')}</dl>`;
}

export interface Chart {
  /** the chart as written beside its PNG (a .vl.json) */
  spec: VegaLiteSpec;
  caption?: string;
}

/** A figure the page draws: the spec compiled to Vega here, inlined as JSON, rendered to SVG in the page. */
export function chart(c: Chart): string {
  const caption = c.caption === undefined ? '' : `<figcaption>${esc(c.caption)}</figcaption>`;
  return (
    `<figure class="chart"><div class="vega"></div>` +
    `<script type="application/json" class="vega-spec">${scriptJson(toVega(c.spec, true))}</script>${caption}</figure>`
  );
}

export const section = (id: string, title: string, body: string) =>
  `<section id="${esc(id)}"><h2>${esc(title)}</h2>${body}</section>`;

export const paragraph = (text: string) => `<p>${esc(text)}</p>`;

/** Vega's browser bundle (d3 and all) from the installed package, to inline: the page must open with no network. */
export function vegaRuntime(): string {
  const vegaMain = createRequire(import.meta.url).resolve('vega');
  return readFileSync(join(dirname(vegaMain), 'vega.min.js'), 'utf8');
}

/** Draws every chart of the page; body[data-charts] says "drawn" (or "failed: …") when done, for readers and tests. */
const DRAW = `
(async () => {
  const figures = [...document.querySelectorAll('figure.chart')];
  try {
    await Promise.all(figures.map((f) => {
      const spec = JSON.parse(f.querySelector('script.vega-spec').textContent);
      return new vega.View(vega.parse(spec), { renderer: 'svg', container: f.querySelector('.vega'), hover: true }).runAsync();
    }));
    document.body.dataset.charts = 'drawn';
  } catch (e) {
    document.body.dataset.charts = 'failed: ' + e;
    throw e;
  }
})();`;

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
.lede { color: #555; margin: 0 0 1rem; }
nav { font-size: .9rem; margin: .5rem 0 1rem; } nav a { margin-right: .9rem; color: #2563eb; text-decoration: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; color: #555; padding-bottom: .25rem; }
th, td { padding: .2rem .7rem; border-bottom: 1px solid #e5e5e5; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0; overflow-x: auto; } figcaption { color: #555; font-size: .9rem; }
.missing { background: #fff8e1; border-left: 4px solid #f0b400; padding: .5rem 1rem; }
.missing code, p code { background: #f4f4f4; padding: 0 .2rem; }
pre { background: #f7f7f7; padding: .75rem 1rem; overflow-x: auto; font-size: .85rem; }
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; } nav { display: none; }
  figure.chart, table, dl.facts { break-inside: avoid; } h2 { break-after: avoid; }
  figure.chart { overflow: visible; } pre { white-space: pre-wrap; }
}`;

/** The whole page: one file, its styles, the Vega runtime and the drawing script inlined; no network. */
export function page(opts: { title: string; heading: string; lede: string; nav: [string, string][]; body: string }) {
  const nav = opts.nav.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(opts.heading)}</h1>
<p class="lede">${esc(opts.lede)}</p>
<nav>${nav}</nav>
${opts.body}
</main>
<script>${vegaRuntime()}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
