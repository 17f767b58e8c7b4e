// A backtest's scores: the model's and each baseline's, overall, per fold and per step, over the same points.
import type { FoldResult, PredictionRow } from './fold-files.js';
import { scores, type Scores } from './metrics.js';

export const FORECASTERS = ['model', 'persistence', 'seasonal_naive'] as const;
export type Forecaster = (typeof FORECASTERS)[number];

const forecastOf: Record<Forecaster, (r: PredictionRow) => number | undefined> = {
  model: (r) => r.forecast,
  persistence: (r) => r.persistence,
  seasonal_naive: (r) => r.seasonalNaive,
};

export type ScoresBy = Partial<Record<Forecaster, Scores>>;

export interface BacktestSummary {
  /** the forecasters scored: the model, persistence, and seasonal naive when data.season is set */
  forecasters: Forecaster[];
  overall: ScoresBy;
  perFold: { fold: number; origin: string; scores: ScoresBy }[];
  perStep: { step: number; scores: ScoresBy }[];
  /** a file of several series: each one's scores (MASE and sMAPE compare across them) */
  perSeries?: { series: string; scores: ScoresBy }[];
}

/** Each forecaster's scores on the rows; a row without an actual (or a baseline's value) is left out. */
function scoreRows(rows: PredictionRow[], forecasters: Forecaster[]): ScoresBy {
  return Object.fromEntries(
    forecasters.map((f) => {
      const points = rows.flatMap((r) => {
        const forecast = forecastOf[f](r);
        return forecast === undefined || !Number.isFinite(forecast) || !Number.isFinite(r.actual)
          ? []
          : [{ actual: r.actual, forecast, scale: r.scale }];
      });
      return [f, scores(points)];
    }),
  );
}

export function summarize(folds: FoldResult[]): BacktestSummary {
  const rows = folds.flatMap((f) => f.rows);
  const forecasters = FORECASTERS.filter(
    (f) => f !== 'seasonal_naive' || rows.some((r) => r.seasonalNaive !== undefined),
  );
  const steps = [...new Set(rows.map((r) => r.step))].sort((a, b) => a - b);
  const series = [...new Set(rows.flatMap((r) => (r.series === undefined ? [] : [r.series])))];
  return {
    forecasters,
    overall: scoreRows(rows, forecasters),
    perFold: folds.map((f) => ({
      fold: f.fold,
      origin: f.rows[0]?.originTime ?? `row ${f.rows[0]?.originRow}`,
      scores: scoreRows(f.rows, forecasters),
    })),
    perStep: steps.map((step) => ({
      step,
      scores: scoreRows(
        rows.filter((r) => r.step === step),
        forecasters,
      ),
    })),
    ...(series.length > 1
      ? {
          perSeries: series.map((name) => ({
            series: name,
            scores: scoreRows(
              rows.filter((r) => r.series === name),
              forecasters,
            ),
          })),
        }
      : {}),
  };
}
