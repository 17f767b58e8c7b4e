// The compare directory's own files: compare.csv/json, the overlaid loss plot and report.md.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lossCurveSpec, type LossRow } from '../charts/loss-plot.js';
import { writePlot, type VegaLiteSpec } from '../charts/render.js';
import { toCsv } from '../util/table.js';
import { versions } from '../util/versions.js';
import type { Drift } from './drift.js';
import type { ParityResult } from './parity.js';
import type { VariantResult } from './race.js';
import { csvHeaders, csvRows, markdownTable, parityHeaders, parityRows, raceHeaders, raceRows, sci } from './table.js';

export interface CompareRecord {
  name: string;
  task: 'forecast' | 'classify';
  metric: string;
  backend: string;
  /** "seed 42" or the checkpoint the variants started from */
  weights: string;
  dropout: number;
  kernel: string;
  parity: ParityResult[];
  variants: VariantResult[];
  drift: Drift[];
}

/** Every variant's train (solid) and val (dashed) loss, one colour per variant. */
export function lossRows(variants: VariantResult[]): LossRow[] {
  return variants.flatMap((v) =>
    v.history.flatMap((r) => [
      { epoch: r.epoch, series: v.variant, split: 'train' as const, loss: r.trainLoss },
      { epoch: r.epoch, series: v.variant, split: 'val' as const, loss: r.valLoss },
    ]),
  );
}

export function plotTitle(rec: CompareRecord): { title: string; subtitle: string } {
  return {
    title: `${rec.name} — LSTM variants compared (${rec.backend})`,
    subtitle: `train solid, val dashed; builtin wide under hand; all from the same initial weights (${rec.weights})`,
  };
}

const identicalParagraph = (kernel: string) =>
  `They stay identical to the last bit: on this backend tfjs's LSTM cell and the hand ${kernel} kernel run the ` +
  'same float32 operations in the same order, so there is no rounding difference for training to amplify. A ' +
  'kernel or backend that sums in another order (the fused kernel, the fixed wasm kernels) starts them one ' +
  'rounding apart, and then they drift.';

const driftCause = (kernel: string) =>
  'Why they drift at all: the two compute the same function (the parity check above), but not with the same ' +
  `float32 operations — the hand ${kernel} kernel and tfjs's fused kernels add the products of the matMuls and the ` +
  "gate terms in a different order, so each step's result differs by about one float32 rounding (~1e-7 relative). " +
  'Training amplifies it: every update starts from the weights the last one produced, Adam divides by running ' +
  'gradient magnitudes, and argmax-like decisions (class boundaries) flip on tiny changes, so the difference ' +
  'compounds epoch by epoch. It is numerical, not a bug: the curves agree at first and separate slowly.';

/** The paragraph on drift, from the measured per-epoch differences. */
export function driftParagraph(rec: CompareRecord): string {
  if (rec.drift.length === 0) return 'No builtin ↔ hand pair was trained, so there is no drift to report.';
  const masks = rec.dropout > 0 ? ' with the same dropout masks' : '';
  const same = `started from identical weights and saw the same batches in the same order${masks} on one backend (${rec.backend})`;
  const lines = rec.drift.map(
    (d) =>
      `${d.builtin} ↔ ${d.hand}: epoch-1 train loss |Δ| = ${sci(d.firstEpochDiff)}; ` +
      `the largest per-epoch |Δ train loss| is ${sci(d.maxDiff)} (epoch ${d.maxEpoch} of ${d.trainLossDiffs.length}).`,
  );
  const identical = rec.drift.every((d) => d.maxDiff === 0);
  const why = identical ? identicalParagraph(rec.kernel) : driftCause(rec.kernel);
  return [`Hand and builtin ${same}.`, ...lines.map((l) => `- ${l}`), '', why].join('\n');
}

/**
 * lossCurveSpec's overlay, with builtin variants drawn wide and hand variants narrow on top: hand and builtin
 * curves often coincide exactly, and a plain overlay would hide one under the other.
 */
export function compareSpec(rec: CompareRecord): VegaLiteSpec {
  const spec = lossCurveSpec(lossRows(rec.variants), { ...plotTitle(rec), seriesTitle: 'variant' }) as VegaLiteSpec & {
    mark: object;
  };
  if (rec.variants.length < 2) return spec;
  const { mark, ...rest } = spec;
  const layer = (test: string, strokeWidth: number) => ({
    transform: [{ filter: test }],
    mark: { ...mark, strokeWidth },
  });
  return {
    ...rest,
    layer: [layer("indexof(datum.series, 'builtin') === 0", 5), layer("indexof(datum.series, 'builtin') !== 0", 2)],
  } as VegaLiteSpec;
}

function reportMarkdown(rec: CompareRecord, dir: string): string {
  const metric = rec.metric;
  const failing = rec.parity.filter((p) => p.explanation);
  return [
    `# ${rec.name}: LSTM variants compared`,
    '',
    `Task ${rec.task}, backend ${rec.backend}, initial weights from ${rec.weights}, dropout ${rec.dropout}, hand kernel ${rec.kernel}. ` +
      `Losses and ${metric} are the best checkpoint's, in eval mode; speeds are wall-clock on this machine.`,
    '',
    markdownTable(raceHeaders(metric), raceRows(rec.variants)),
    '',
    '![loss curves of every variant](loss.png)',
    '',
    '## Parity',
    '',
    'Builtin and hand models built from identical (copied) weights, one batch of real data in eval mode; ' +
      'tolerance 1e-5 on the outputs and 1e-4 on the loss gradients w.r.t. every weight and the input.',
    '',
    markdownTable(parityHeaders, parityRows(rec.parity)),
    ...(failing.length > 0 ? ['', ...failing.map((p) => `- ${p.pair}: ${p.explanation}`)] : []),
    '',
    '## Drift',
    '',
    driftParagraph(rec),
    '',
    '## Runs',
    '',
    ...rec.variants.map(
      (v) =>
        `- ${v.variant}: [${relative(dir, v.runDir)}](${relative(dir, v.runDir)}) (${v.stopReason}, ${v.history.length} epochs)`,
    ),
    '',
  ].join('\n');
}

/** Writes compare.csv, compare.json, loss.svg/png/vl.json and report.md into `dir`; returns their paths. */
export async function writeCompareReport(dir: string, rec: CompareRecord): Promise<string[]> {
  const csv = join(dir, 'compare.csv');
  writeFileSync(csv, toCsv(csvHeaders(rec.metric), csvRows(rec.variants)));
  const json = join(dir, 'compare.json');
  writeFileSync(json, JSON.stringify({ ...rec, versions: versions() }, null, 2) + '\n');
  const plots = await writePlot(dir, 'loss', compareSpec(rec));
  const md = join(dir, 'report.md');
  writeFileSync(md, reportMarkdown(rec, dir));
  return [csv, json, ...plots, md];
}
