// A study's charts: the val score against each searched parameter, and the val curves of the best trials.
import { chartHeader, type PlotTitle, type VegaLiteSpec } from './render.js';

export interface ParamScore {
  trial: number;
  /** the parameter's value in the trial: a number, or a choice shown as its JSON text */
  value: number | string;
  score: number;
  /** epochs the score was reached at: the rung */
  epochs: number;
}

export interface ParamScoreOptions extends PlotTitle {
  param: string;
  metric: string;
  /** numbers on a log axis (a log range) */
  log?: boolean;
  /** the range searched, as the x axis */
  domain?: [number, number];
}

/**
 * One point per trial and rung: x the parameter, y the val score, colour the rung's epochs, so a reader sees both
 * where the good values lie and that later rungs were trained longer. Choices are drawn as categories.
 */
export function paramScoreSpec(rows: ParamScore[], opts: ParamScoreOptions): VegaLiteSpec {
  const values = rows.filter((r) => Number.isFinite(r.score));
  const numeric = values.every((r) => typeof r.value === 'number');
  const epochs = [...new Set(values.map((r) => r.epochs))].sort((a, b) => a - b);
  const x = numeric
    ? {
        field: 'value',
        type: 'quantitative',
        title: opts.param,
        scale: {
          type: opts.log ? 'log' : 'linear',
          zero: false,
          ...(opts.domain && { domain: opts.domain, nice: false }),
        },
      }
    : { field: 'value', type: 'ordinal', title: opts.param, sort: null, axis: { labelAngle: 0 } };
  return {
    ...chartHeader(opts),
    data: { values },
    width: 480,
    height: 220,
    mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
    encoding: {
      x,
      y: { field: 'score', type: 'quantitative', title: `val ${opts.metric}`, scale: { zero: false } },
      color: {
        field: 'epochs',
        type: 'ordinal',
        title: 'after epochs',
        scale: { domain: epochs, scheme: 'viridis' },
      },
      tooltip: [
        { field: 'trial' },
        { field: 'value', title: opts.param },
        { field: 'epochs', title: 'after epochs' },
        { field: 'score', format: '.4g', title: `val ${opts.metric}` },
      ],
    },
  } as VegaLiteSpec;
}

export interface TrialCurveRow {
  /** "trial 3" */
  series: string;
  epoch: number;
  score: number;
}

/** The val score per epoch of a few trials, one line each, in the leaderboard's order. */
export function trialCurvesSpec(rows: TrialCurveRow[], opts: PlotTitle & { metric: string }): VegaLiteSpec {
  const values = rows.filter((r) => Number.isFinite(r.score));
  return {
    ...chartHeader(opts),
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'score', type: 'quantitative', title: `val ${opts.metric}`, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: 'trial', sort: [...new Set(values.map((r) => r.series))] },
      tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'score', format: '.4g' }],
    },
    config: { legend: { symbolType: 'stroke' } },
  };
}
