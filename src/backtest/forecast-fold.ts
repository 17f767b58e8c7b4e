// A fold's forecasts: the model's h steps from each series' origin (lstm-predict's forecastFuture with --from),
// beside persistence and seasonal naive from the same origins, and MASE's scale from the rows before each origin.
import { loadModelCheckpoint, readCard } from '../checkpoint/model-checkpoint.js';
import { formatTime } from '../data/time.js';
import type { ForecastDataset } from '../data/types.js';
import { forecastFuture } from '../task/forecast/future.js';
import type { FutureForecast } from '../task/prediction.js';
import { loadCardData } from '../task/dataset.js';
import { tfjsForward } from '../task/forward.js';
import { own } from '../task/types.js';
import type { FoldResult, PredictionRow } from './fold-files.js';
import type { Origin } from './folds.js';
import { seasonalNaiveMae } from './metrics.js';

/** The data the folds are cut from (original units), the origins and the season of the seasonal baseline. */
export interface Layout {
  data: ForecastDataset;
  dataPath: string;
  origins: Origin[];
  /** data.season; MASE's scale uses 1 without one */
  season?: number;
}

/** --from for an origin: its time when the file has a time column, else its data-row index. */
function fromOf(data: ForecastDataset, row: number): string {
  const time = data.forecast.time;
  return time ? formatTime(time.values[row], time.form) : String(data.forecast.rowIds[row]);
}

/** Target j of rows [from, to] of the layout's data, in original units. */
function targetSlice(data: ForecastDataset, j: number, from: number, to: number): Float64Array {
  const t = data.targetNames.length;
  const raw = data.forecast.targetRaw;
  return Float64Array.from({ length: to - from + 1 }, (_, i) => raw[(from + i) * t + j]);
}

/** The forecast's steps as prediction rows, with the baselines from the same origin. */
function rowsOf(f: FutureForecast, layout: Layout, origin: Origin): PredictionRow[] {
  const { data } = layout;
  const info = data.forecast;
  const start = info.seriesBounds[origin.series][0];
  const m = layout.season ?? 1;
  const many = info.seriesNames.length > 1;
  return data.targetNames.flatMap((target, j) => {
    const history = targetSlice(data, j, start, origin.row);
    const scale = seasonalNaiveMae(history, m);
    return f.steps.map((s): PredictionRow => {
      const back = origin.row + s.step - (layout.season ?? 0) * Math.ceil(s.step / (layout.season ?? 1));
      return {
        ...(many ? { series: info.seriesNames[origin.series] } : {}),
        fold: origin.fold,
        originRow: info.rowIds[origin.row],
        ...(f.origins[0].time !== undefined ? { originTime: f.origins[0].time } : {}),
        step: s.step,
        ...(s.time !== undefined ? { time: s.time } : {}),
        x: s.x,
        target,
        actual: s.actual?.[j] ?? NaN,
        forecast: s.values[j],
        persistence: history[history.length - 1],
        ...(layout.season !== undefined ? { seasonalNaive: back >= start ? history[back - start] : NaN } : {}),
        scale,
      };
    });
  });
}

/** Forecasts `folds` with one checkpoint, on the file loaded with that checkpoint's own transforms. */
export async function forecastFolds(checkpoint: string, layout: Layout, folds: number[]): Promise<FoldResult[]> {
  const card = await readCard(checkpoint);
  const { model } = await loadModelCheckpoint(checkpoint, card);
  try {
    const data = own(await loadCardData(card, layout.dataPath, true), 'forecast');
    const forward = tfjsForward(model);
    const results: FoldResult[] = [];
    for (const fold of folds) {
      const rows: PredictionRow[] = [];
      for (const origin of layout.origins.filter((o) => o.fold === fold)) {
        const series = [layout.data.forecast.seriesNames[origin.series]];
        const request = { model, forward, card, data, series, from: fromOf(layout.data, origin.row) };
        rows.push(...rowsOf(await forecastFuture(request, { notes: [] }), layout, origin));
      }
      results.push({ fold, checkpoint, rows });
    }
    return results;
  } finally {
    model.dispose();
  }
}
