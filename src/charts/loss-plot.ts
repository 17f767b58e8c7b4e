// The loss-curve chart: train and val loss per epoch, for one run or several variants overlaid.
import { chartHeader, type PlotTitle, type VegaLiteSpec } from './render.js';

export interface LossRow {
  epoch: number;
  /** the run or variant the row belongs to */
  series: string;
  split: 'train' | 'val';
  loss: number;
}

export interface LossPlotOptions extends PlotTitle {
  /** legend title for the series colours when several are overlaid */
  seriesTitle?: string;
}

/** A log axis pays off once the curve spans more than a decade; it needs every value positive. */
export function wantsLogScale(losses: number[]): boolean {
  if (losses.length === 0 || losses.some((v) => v <= 0)) return false;
  return Math.max(...losses) / Math.min(...losses) > 10;
}

/** Up to this many epochs the points are marked, so short runs still show where each epoch landed. */
const MAX_EPOCHS_WITH_POINTS = 30;

/**
 * One series: colour = split. Several: colour = series, dash = split (train solid, val dashed), so a glance
 * at the legend tells both apart. Non-finite losses (a diverged epoch) are left out rather than breaking the axis.
 */
export function lossCurveSpec(rows: LossRow[], opts: LossPlotOptions): VegaLiteSpec {
  const values = rows.filter((r) => Number.isFinite(r.loss));
  const seriesNames = [...new Set(values.map((r) => r.series))];
  const epochs = new Set(values.map((r) => r.epoch)).size;
  const log = wantsLogScale(values.map((r) => r.loss));
  const splitScale = { domain: ['train', 'val'] };
  const encoding =
    seriesNames.length > 1
      ? {
          color: { field: 'series', type: 'nominal', title: opts.seriesTitle ?? 'variant', sort: seriesNames },
          strokeDash: {
            field: 'split',
            type: 'nominal',
            title: 'split',
            scale: {
              ...splitScale,
              range: [
                [1, 0],
                [6, 4],
              ],
            },
          },
        }
      : { color: { field: 'split', type: 'nominal', title: 'split', scale: splitScale } };
  return {
    ...chartHeader(opts),
    data: { values },
    mark: { type: 'line', point: epochs <= MAX_EPOCHS_WITH_POINTS, interpolate: 'linear' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
      y: {
        field: 'loss',
        type: 'quantitative',
        title: log ? 'loss (log scale)' : 'loss',
        scale: log ? { type: 'log' } : { type: 'linear', zero: false },
      },
      ...encoding,
      tooltip: [{ field: 'series' }, { field: 'split' }, { field: 'epoch' }, { field: 'loss', format: '.4g' }],
    },
    config: { legend: { labelLimit: 260, symbolType: 'stroke', symbolSize: 400 } },
  } as VegaLiteSpec;
}

/**
 * The loss chart with the learning rate per epoch in a panel under it, when a schedule moved it (a constant
 * rate is said once in the config and needs no panel).
 */
export function withLearningRate(loss: VegaLiteSpec, rates: { epoch: number; learningRate: number }[]): VegaLiteSpec {
  if (new Set(rates.map((r) => r.learningRate)).size <= 1) return loss;
  const { $schema, title, config, ...lossView } = loss as VegaLiteSpec & { $schema: string; title: unknown };
  const rateView = {
    data: { values: rates },
    height: 90,
    mark: { type: 'line', point: rates.length <= MAX_EPOCHS_WITH_POINTS, color: '#777' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'learningRate', type: 'quantitative', title: 'learning rate', axis: { format: '.1e' } },
      tooltip: [{ field: 'epoch' }, { field: 'learningRate', format: '.4g', title: 'learning rate' }],
    },
  };
  return { $schema, title, vconcat: [lossView, rateView], config } as VegaLiteSpec;
}
