// lstm-predict for a forecaster: the next steps of a file's series, as a table, JSON and a fan chart.
import { fanChartSpec, type FanBand, type FanPoint } from '../../charts/fan-chart.js';
import { f32, type Cell } from '../../util/table.js';
import { loadCardData, loadCardTrainingData } from '../dataset.js';
import { asTask, own, type Predictor, type Task } from '../types.js';
import { forecastFuture } from './future.js';
import { levelName } from './intervals.js';

/** The forecaster's predictor; `context` is the task's own (the intervals, calibrated now when the card has none). */
export const forecastPredictor = (context: Task['metricsContext']): Predictor =>
  asTask<Predictor, 'forecast'>('forecast', {
    async run(r) {
      const data = own(await loadCardData(r.card, r.dataPath, true, r.onProgress), 'forecast');
      const needsTraining =
        r.card.fitted.forecast?.intervals === undefined || (r.steps ?? 0) > data.forecast.leads.length;
      const training = needsTraining ? await loadCardTrainingData(r.card) : undefined;
      const { intervals, notes } = context({ model: r.model, training, fitted: r.card.fitted, batchSize: r.batchSize });
      const direct = { intervals, notes: notes ?? [] };
      return r.withForward(data, (forward) => forecastFuture({ ...r, forward, data, training }, direct));
    },
    table(p) {
      const f = p;
      const time = f.steps.some((s) => s.time !== undefined);
      const series = f.steps.some((s) => s.series !== undefined);
      const bounds = (t: string) =>
        f.levels.flatMap((l) => [`${t}_lower_${levelName(l)}`, `${t}_upper_${levelName(l)}`]);
      const headers = [
        ...(series ? ['series'] : []),
        'step',
        ...(time ? ['time'] : []),
        ...f.targets.flatMap((t) => [t, ...bounds(t)]),
      ];
      const rows = f.steps.map((s): Cell[] => [
        ...(series ? [s.series] : []),
        s.step,
        ...(time ? [s.time] : []),
        ...f.targets.flatMap((_, j) => [
          f32(s.values[j]),
          ...f.levels.flatMap((_, l) =>
            s.lower && s.upper ? [f32(s.lower[l][j]), f32(s.upper[l][j])] : [undefined, undefined],
          ),
        ]),
      ]);
      return { headers, rows };
    },
    extras: (p) => {
      const { origins } = p;
      return origins.length === 1 ? { origin: origins[0] } : { origins };
    },
    chart(p, name) {
      const title = `${name}: forecast`;
      const f = p;
      // with several series, a panel per series and target (the first few series)
      const shown = [...new Set(f.origins.map((o) => o.series))].slice(0, 6);
      const panel = (series: string | undefined, target: string) =>
        series === undefined ? target : `${series}: ${target}`;
      const points: FanPoint[] = [];
      const bands: FanBand[] = [];
      for (const series of shown)
        f.targets.forEach((target, j) => {
          const history = f.history.filter((h) => h.series === series);
          const steps = f.steps.filter((s) => s.series === series);
          const label = panel(series, target);
          for (const h of history) points.push({ target: label, x: h.x, kind: 'history', value: h.values[j] });
          const last = history.at(-1);
          if (last) points.push({ target: label, x: last.x, kind: 'forecast', value: last.values[j] });
          for (const s of steps) {
            points.push({ target: label, x: s.x, kind: 'forecast', value: s.values[j] });
            if (s.actual) points.push({ target: label, x: s.x, kind: 'actual', value: s.actual[j] });
            if (s.lower && s.upper)
              f.levels.forEach((l, i) =>
                bands.push({
                  target: label,
                  x: s.x,
                  level: `${levelName(l)}%`,
                  lower: s.lower![i][j],
                  upper: s.upper![i][j],
                }),
              );
          }
        });
      const origin = f.origins[0];
      const from = origin.time ?? `row ${origin.row}`;
      const steps = f.steps.length / Math.max(1, f.origins.length);
      const subtitle = `${steps} steps after ${from}, original units; shaded: the prediction intervals`;
      return { name: 'forecast', spec: fanChartSpec(points, bands, { title, subtitle, temporal: f.temporal }) };
    },
  });
