// The seed experiment's outputs: one chart of the training curves of every model (loss and accuracy by epoch,
// train and val) and the markdown table of test accuracy, wall time, samples/s and peak memory.
import type { VegaLiteSpec } from '../src/charts/render.js';
import { chartHeader } from '../src/charts/render.js';

/** One epoch of a model's history, in lstm-train's history.json names. */
export interface EpochRow {
  epoch: number;
  train_loss: number;
  val_loss: number;
  train_accuracy: number;
  val_accuracy: number;
}

/** One model's measured run: ours (lstm-train, then lstm-eval on the test file) or torch's. */
export interface SeedResult {
  name: string;
  testAccuracy: number;
  /** end to end: lstm-train + lstm-eval (or the torch script's whole process), seconds */
  wallSeconds: number;
  /** the training loop's seconds (every epoch's shuffled pass; no loading, validation or scoring) */
  trainSeconds: number;
  /** training samples per second of the training loop */
  trainSamplesPerSec: number;
  /** the largest max RSS of its processes (GNU time's %M), MB */
  peakRssMb: number;
  epochs: EpochRow[];
}

const PANELS: [keyof EpochRow, string][] = [
  ['train_loss', 'train loss'],
  ['val_loss', 'val loss'],
  ['train_accuracy', 'train accuracy'],
  ['val_accuracy', 'val accuracy'],
];

/** Four panels (train and val loss, train and val accuracy), a line per model, dashed by implementation. */
export function curvesSpec(results: SeedResult[], subtitle: string): VegaLiteSpec {
  const values = results.flatMap((r) =>
    r.epochs.flatMap((e) =>
      PANELS.map(([key, panel]) => ({
        model: r.name,
        impl: r.name.split(' ')[0],
        epoch: e.epoch,
        panel,
        value: e[key],
      })),
    ),
  );
  return {
    ...chartHeader({ title: 'Fashion-MNIST, rows as sequences: the seed’s four LSTMs beside torch.nn.LSTM', subtitle }),
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: PANELS.map(([, p]) => p) },
    columns: 2,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'model', type: 'nominal', sort: results.map((r) => r.name), title: null },
        strokeDash: { field: 'impl', type: 'nominal', title: null, sort: ['builtin', 'hand', 'torch'] },
      },
    },
  };
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '');

/** The markdown table; speed vs torch is torch's seconds over ours in the same direction (above 1: faster). */
export function resultsTable(results: SeedResult[]): string {
  const torchOf = (name: string) => results.find((r) => r.name === `torch ${name.endsWith('bi') ? 'bi' : 'uni'}`);
  const rows = results.map((r) => {
    const torch = r.name.startsWith('torch') ? undefined : torchOf(r.name);
    const speed = torch ? fixed(torch.wallSeconds / r.wallSeconds, 2) + '×' : '';
    const loop = torch ? fixed(torch.trainSeconds / r.trainSeconds, 2) + '×' : '';
    return (
      `| ${r.name} | ${fixed(r.testAccuracy, 4)} | ${fixed(r.wallSeconds, 1)} | ${speed} | ` +
      `${fixed(r.trainSeconds, 1)} | ${loop} | ${fixed(r.trainSamplesPerSec, 0)} | ${fixed(r.peakRssMb, 0)} |`
    );
  });
  return [
    '| model | test accuracy | wall time (s) | speed vs torch | training loop (s) | loop speed vs torch | ' +
      'training samples/s | peak memory (MB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
