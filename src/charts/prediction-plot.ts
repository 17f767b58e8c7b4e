// Evaluation charts: a forecast's actual vs predicted values over time, and a classifier's confusion matrix.
import { chartHeader, panelRows, type PlotTitle, type VegaLiteSpec } from './render.js';

export interface ForecastRow {
  /** the x axis: the predicted row's data-row index, or its time (ms, with `temporal`) */
  id: number;
  target: string;
  /** original units */
  actual: number;
  predicted: number;
  /** steps ahead of the forecast (when several are drawn) */
  lead?: number;
}

export interface ForecastPlotOptions extends PlotTitle {
  /** the x values are times (ms since 1970) */
  temporal?: boolean;
}

const predictedKind = (lead: number | undefined) =>
  lead === undefined ? 'predicted' : `predicted ${lead} step${lead === 1 ? '' : 's'} ahead`;

/** One panel per target (each with its own y scale), actual solid and predicted dashed, in original units. */
export function forecastSpec(rows: ForecastRow[], opts: ForecastPlotOptions): VegaLiteSpec {
  const leads = [...new Set(rows.map((r) => r.lead))];
  const kind = (r: ForecastRow) => predictedKind(leads.length > 1 ? r.lead : undefined);
  const actual = new Map(
    rows.map((r) => [`${r.target} ${r.id}`, { id: r.id, target: r.target, kind: 'actual', value: r.actual }]),
  );
  const values = [
    ...actual.values(),
    ...rows.map((r) => ({ id: r.id, target: r.target, kind: kind(r), value: r.predicted })),
  ];
  const targets = [...new Set(rows.map((r) => r.target))];
  const kinds = ['actual', ...new Set(rows.map(kind))];
  const kindScale = { domain: kinds };
  const x = opts.temporal
    ? { field: 'id', type: 'temporal', title: 'time' }
    : { field: 'id', type: 'quantitative', title: 'row', axis: { format: 'd' }, scale: { zero: false, nice: false } };
  return {
    ...chartHeader(opts),
    data: { values },
    facet: panelRows('target', targets),
    spec: {
      height: targets.length > 1 ? 160 : 280,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'kind',
          type: 'nominal',
          title: null,
          scale: { ...kindScale, range: ['#4c78a8', '#e45756', '#f58518', '#54a24b'] },
        },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          title: null,
          scale: {
            ...kindScale,
            range: [
              [1, 0],
              [5, 3],
              [2, 2],
              [8, 3],
            ],
          },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: { legend: { labelLimit: 260 } },
  } as VegaLiteSpec;
}

export interface StepErrorRow {
  target: string;
  step: number;
  /** "model" or a baseline's name */
  forecast: string;
  mae: number;
}

/**
 * MAE by steps ahead, the model against each baseline, one panel per target. One step ahead is a bar per forecast
 * (points at one x would hide each other).
 */
export function maeByStepSpec(rows: StepErrorRow[], opts: PlotTitle): VegaLiteSpec {
  const targets = [...new Set(rows.map((r) => r.target))];
  const forecasts = [...new Set(rows.map((r) => r.forecast))];
  if (new Set(rows.map((r) => r.step)).size === 1) return maeBarsSpec(rows, targets, forecasts, opts);
  return {
    ...chartHeader(opts),
    data: { values: rows.filter((r) => Number.isFinite(r.mae)) },
    facet: panelRows('target', targets),
    spec: {
      height: targets.length > 1 ? 160 : 260,
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'steps ahead', axis: { format: 'd', tickMinStep: 1 } },
        y: { field: 'mae', type: 'quantitative', title: 'MAE (original units)', scale: { zero: true } },
        color: { field: 'forecast', type: 'nominal', title: null, sort: forecasts },
        tooltip: [{ field: 'forecast' }, { field: 'step' }, { field: 'mae', format: '.4g' }],
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** One step ahead: a horizontal bar per forecast, its MAE written beside it. */
function maeBarsSpec(rows: StepErrorRow[], targets: string[], forecasts: string[], opts: PlotTitle): VegaLiteSpec {
  const y = { field: 'forecast', type: 'nominal', title: null, sort: forecasts };
  return {
    ...chartHeader(opts),
    data: { values: rows.filter((r) => Number.isFinite(r.mae)) },
    facet: panelRows('target', targets),
    spec: {
      width: 360,
      height: { step: 28 },
      encoding: {
        y,
        x: { field: 'mae', type: 'quantitative', title: 'MAE 1 step ahead (original units)', scale: { zero: true } },
        tooltip: [{ field: 'forecast' }, { field: 'mae', format: '.4g' }],
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: { color: { field: 'forecast', type: 'nominal', sort: forecasts, legend: null } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4 },
          encoding: { text: { field: 'mae', type: 'quantitative', format: '.4g' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  } as VegaLiteSpec;
}

/** A cell size that keeps a confusion matrix near 480 px across, yet readable for 2 classes or 30. */
function cellSize(classes: number): number {
  return Math.max(16, Math.min(60, Math.floor(480 / Math.max(1, classes))));
}

/**
 * The confusion matrix as a heatmap: rows are the actual class, columns the predicted one, each cell its count
 * (`matrix[actual][predicted]`), in the given class order. Text turns white on dark cells to stay legible.
 */
export function confusionSpec(
  classes: string[],
  matrix: number[][],
  opts: PlotTitle = { title: 'confusion matrix' },
): VegaLiteSpec {
  if (matrix.length !== classes.length || matrix.some((row) => row.length !== classes.length)) {
    throw new Error(`confusionSpec: expected a ${classes.length}x${classes.length} matrix`);
  }
  const values = matrix.flatMap((row, a) =>
    row.map((count, p) => ({ actual: classes[a], predicted: classes[p], count })),
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  const step = cellSize(classes.length);
  const axis = (title: string) => ({ field: title, type: 'ordinal', sort: classes, title });
  return {
    ...chartHeader(opts),
    data: { values },
    width: { step },
    height: { step },
    encoding: { x: { ...axis('predicted'), axis: { labelAngle: -45 } }, y: axis('actual') },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] }, title: 'count' },
        },
      },
      {
        mark: { type: 'text', fontSize: Math.max(9, Math.min(14, step / 3)) },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as VegaLiteSpec;
}

/**
 * How many sequences got each label: what a classifier made of a file without labels. A bar per class, across, so
 * its label sits on a line of its own however many classes and however long their names.
 */
export function predictedClassesSpec(classes: string[], labels: string[], opts: PlotTitle): VegaLiteSpec {
  const counts = classes.map((c) => ({ label: c, count: labels.filter((l) => l === c).length }));
  return {
    ...chartHeader(opts),
    data: { values: counts },
    width: 360,
    height: { step: 22 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: classes, title: 'predicted label', axis: { labelLimit: 320 } },
      x: { field: 'count', type: 'quantitative', title: 'sequences' },
      tooltip: [{ field: 'label' }, { field: 'count' }],
    },
    layer: [
      { mark: { type: 'bar' } },
      { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
  };
}
