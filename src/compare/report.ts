// report.html of an lstm-compare directory, from its compare.json and loss.vl.json: parity, the race, the drift.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { DataError } from '../errors.js';
import { chartHeader, type VegaLiteSpec } from '../charts/render.js';
import { chart, esc, page, paragraph, section, table } from '../report/html.js';
import { writeAtomically } from '../report/run-report.js';
import { driftParagraph, type CompareRecord } from './outputs.js';
import { parityHeaders, parityRows, raceHeaders, raceRows } from './table.js';

/** compare.json as lstm-compare writes it; checked for the fields the page reads. */
const RecordSchema = z.looseObject({
  name: z.string(),
  task: z.enum(['forecast', 'classify']),
  metric: z.string(),
  backend: z.string(),
  weights: z.string(),
  dropout: z.number(),
  kernel: z.string(),
  parity: z.array(z.looseObject({ pair: z.string(), pass: z.boolean() })),
  variants: z.array(z.looseObject({ variant: z.string(), runDir: z.string(), history: z.array(z.unknown()) })),
  drift: z.array(z.looseObject({ builtin: z.string(), hand: z.string(), trainLossDiffs: z.array(z.number()) })),
});

export const isCompareDir = (dir: string) => existsSync(join(dir, 'compare.json'));

export function readCompareDir(dir: string): { record: CompareRecord; loss?: VegaLiteSpec } {
  const path = join(dir, 'compare.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataError(path, `expected the JSON lstm-compare writes, found text that does not parse (${String(e)})`);
  }
  const parsed = RecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(path, `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const lossPath = join(dir, 'loss.vl.json');
  const loss = existsSync(lossPath) ? (JSON.parse(readFileSync(lossPath, 'utf8')) as VegaLiteSpec) : undefined;
  return { record: parsed.data as unknown as CompareRecord, loss };
}

/** |Δ train loss| between each builtin ↔ hand pair, epoch by epoch (log scale; exact zeros drawn at the floor). */
export function driftSpec(rec: CompareRecord): VegaLiteSpec {
  const values = rec.drift.flatMap((d) =>
    d.trainLossDiffs.map((diff, k) => ({
      pair: `${d.builtin} ↔ ${d.hand}`,
      epoch: k + 1,
      diff: Math.max(diff, 1e-12),
    })),
  );
  return {
    ...chartHeader({ title: `${rec.name}: drift between hand and builtin`, subtitle: '|Δ train loss| by epoch' }),
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'diff', type: 'quantitative', scale: { type: 'log' }, title: '|Δ train loss|' },
      color: { field: 'pair', type: 'nominal' },
    },
  };
}

/** driftParagraph's text (paragraphs, "- " list lines) as HTML. */
function textBlocks(text: string): string {
  return text
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n').filter((l) => l !== '');
      const items = lines.filter((l) => l.startsWith('- ')).map((l) => `<li>${esc(l.slice(2))}</li>`);
      const prose = lines.filter((l) => !l.startsWith('- ')).map(paragraph);
      return prose.join('') + (items.length > 0 ? `<ul>${items.join('')}</ul>` : '');
    })
    .join('');
}

export function compareReportHtml(dir: string, rec: CompareRecord, loss?: VegaLiteSpec): string {
  const failing = rec.parity.filter((p) => p.explanation);
  const parity =
    table(parityHeaders, parityRows(rec.parity), { id: 'parity' }) +
    failing.map((p) => paragraph(`${p.pair}: ${p.explanation}`)).join('');
  const runs = rec.variants.map((v) => {
    const rel = relative(dir, v.runDir);
    const report = existsSync(join(v.runDir, 'report.html')) ? join(rel, 'report.html') : rel;
    return `<li><a href="${esc(report)}">${esc(v.variant)}</a>: ${esc(rel)} (${esc(v.stopReason)}, ${v.history.length} epochs)</li>`;
  });
  const race =
    table(raceHeaders(rec.metric), raceRows(rec.variants), {
      id: 'race',
      caption: `Losses and ${rec.metric} are the best checkpoint's, in eval mode; speeds are wall-clock on this machine.`,
    }) +
    (loss ? chart({ spec: loss }) : paragraph('No loss.vl.json in this directory.')) +
    `<ul>${runs.join('')}</ul>`;
  const drift = textBlocks(driftParagraph(rec)) + (rec.drift.length > 0 ? chart({ spec: driftSpec(rec) }) : '');
  const body = [
    section(
      'parity',
      'Parity',
      paragraph(
        'Builtin and hand models built from identical (copied) weights, one batch of real data in eval mode; ' +
          'tolerance 1e-5 on the outputs and 1e-4 on the loss gradients w.r.t. every weight and the input.',
      ) + parity,
    ),
    section('race', 'The race', race),
    section('drift', 'Drift', drift),
  ].join('\n');
  return page({
    title: `${rec.name}: LSTM variants compared`,
    heading: `${rec.name}: LSTM variants compared`,
    lede:
      `Task ${rec.task}, backend ${rec.backend}, initial weights from ${rec.weights}, dropout ${rec.dropout}, ` +
      `hand kernel ${rec.kernel}: read from this lstm-compare directory's compare.json.`,
    nav: [
      ['parity', 'Parity'],
      ['race', 'Race'],
      ['drift', 'Drift'],
    ],
    body,
  });
}

/** Writes `<dir>/report.html` of an lstm-compare directory, whole; returns its path. */
export function writeCompareHtml(dir: string): string {
  const { record, loss } = readCompareDir(dir);
  const path = join(dir, 'report.html');
  writeAtomically(path, compareReportHtml(dir, record, loss));
  return path;
}
