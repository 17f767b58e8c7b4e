// Evaluation charts: a forecast's actual vs predicted values over time, and a classifier's confusion matrix.
import { chartHeader, type PlotTitle, type VegaLiteSpec } from './render.js';

export interface ForecastRow {
  /** the data-row index of the predicted row: the x axis */
  id: number;
  target: string;
  /** original units */
  actual: number;
  predicted: number;
}

/** One panel per target (each with its own y scale), actual solid and predicted dashed, in original units. */
export function forecastSpec(rows: ForecastRow[], opts: PlotTitle): VegaLiteSpec {
  const values = rows.flatMap((r) => [
    { id: r.id, target: r.target, kind: 'actual', value: r.actual },
    { id: r.id, target: r.target, kind: 'predicted', value: r.predicted },
  ]);
  const targets = [...new Set(rows.map((r) => r.target))];
  const kindScale = { domain: ['actual', 'predicted'] };
  return {
    ...chartHeader(opts),
    data: { values },
    facet: {
      row: {
        field: 'target',
        type: 'nominal',
        title: null,
        sort: targets,
        header: { labelAngle: 0, labelAlign: 'left' },
      },
    },
    spec: {
      height: targets.length > 1 ? 160 : 280,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: {
          field: 'id',
          type: 'quantitative',
          title: 'row',
          axis: { format: 'd' },
          scale: { zero: false, nice: false },
        },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'kind', type: 'nominal', title: null, scale: { ...kindScale, range: ['#4c78a8', '#e45756'] } },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          title: null,
          scale: {
            ...kindScale,
            range: [
              [1, 0],
              [5, 3],
            ],
          },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
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
