// Gate charts: one example's i, f, g, o, c, h as heatmaps over time × unit above its inputs, and the split's summary.
import { chartHeader, type PlotTitle, type VegaLiteSpec } from './render.js';

/** The quantities an LSTM step computes, in the order the equations compute them. */
export const QUANTITIES = ['i', 'f', 'g', 'o', 'c', 'h'] as const;
export type Quantity = (typeof QUANTITIES)[number];
/** The gates squashed into (0, 1) by a sigmoid, and the cell candidate into (−1, 1) by tanh: what can saturate. */
export const GATES = ['i', 'f', 'g', 'o'] as const;
export type Gate = (typeof GATES)[number];

/** What each quantity is, for a reader who has just met the equations. */
export const MEANING: Record<Quantity, string> = {
  i: 'input gate: how much of the candidate enters the cell (0 shut, 1 open)',
  f: 'forget gate: how much of the cell is kept (1 keeps it, 0 wipes it)',
  g: 'cell candidate: what would be written (−1 … 1)',
  o: 'output gate: how much of the cell is shown (0 hidden, 1 shown)',
  c: 'cell state: the memory carried from step to step',
  h: 'output h = o · tanh(c): what the next layer and the head read',
};

/** One example through one layer and direction: each quantity [step][unit], valid steps only. */
export interface ExampleTrace {
  layer: number;
  direction: 'forward' | 'backward';
  values: Record<Quantity, number[][]>;
}

export interface GateExample {
  /** the example's id as lstm-eval's predictions name it */
  id: string | number;
  /** e.g. "label xy, predicted xy" */
  caption: string;
  /** its steps (fewer than the window when padded) */
  length: number;
  features: string[];
  /** what the model reads [step][feature] */
  inputs: number[][];
  layers: ExampleTrace[];
}

/** One gate of one layer and direction, over every valid step of every example of the split. */
export interface GateSummary {
  layer: number;
  direction: 'forward' | 'backward';
  gate: Gate;
  mean: number;
  /** the share of activations below 0.05 or above 0.95 (the candidate: beyond ±0.95) */
  saturated: number;
  /** the same per time step (NaN where no example has that step) */
  saturatedByStep: number[];
  /** histogram: bin edges (bins + 1) and each bin's share */
  edges: number[];
  shares: number[];
}

/** At most this many units and steps are drawn (the JSON holds them all): beyond them a heatmap is a blur. */
export const MAX_UNITS = 64;
export const MAX_STEPS = 200;

const where = (l: { layer: number; direction: string }, bi: boolean) =>
  `layer ${l.layer}${bi ? ` ${l.direction}` : ''}`;

/** The colour of a quantity: sigmoid gates on [0, 1], tanh ones on [−1, 1], the cell on its own symmetric range. */
function colorScale(q: Quantity, values: number[][]) {
  if (q === 'i' || q === 'f' || q === 'o') return { scheme: 'viridis', domain: [0, 1] };
  const extent = q === 'c' ? Math.max(1e-6, ...values.flat().map(Math.abs)) : 1;
  return { scheme: 'blueorange', domain: [-extent, extent] };
}

/** Heatmaps of i, f, g, o, c, h (time across, units down) over the example's inputs on the same time axis. */
export function gateHeatmapSpec(ex: GateExample, trace: ExampleTrace, opts: PlotTitle & { bidirectional: boolean }) {
  const first = Math.max(0, ex.length - MAX_STEPS);
  const steps = Array.from({ length: ex.length - first }, (_, k) => first + k);
  const units = Math.min(MAX_UNITS, trace.values.i[0]?.length ?? 0);
  const width = Math.min(720, Math.max(240, steps.length * 12));
  const x = {
    field: 't',
    type: 'ordinal',
    title: 'time step',
    axis: { labelAngle: 0, values: steps.filter((t) => t % Math.max(1, Math.ceil(steps.length / 12)) === 0) },
  };
  const panels = QUANTITIES.map((q) => ({
    title: { text: `${q}: ${MEANING[q]}`, fontSize: 12, fontWeight: 'normal', anchor: 'start' },
    width,
    height: Math.min(160, Math.max(48, units * 6)),
    data: {
      values: steps.flatMap((t) =>
        trace.values[q][t].slice(0, units).map((v, u) => ({ t, u, v: Number(v.toPrecision(4)) })),
      ),
    },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x,
      y: { field: 'u', type: 'ordinal', title: 'unit', axis: units > 16 ? { labels: false, ticks: false } : {} },
      color: { field: 'v', type: 'quantitative', title: q, scale: colorScale(q, trace.values[q]) },
      tooltip: [
        { field: 't', title: 'step' },
        { field: 'u', title: 'unit' },
        { field: 'v', title: q },
      ],
    },
  }));
  const inputs = {
    title: {
      text: 'inputs: the features as the model reads them (scaled)',
      fontSize: 12,
      fontWeight: 'normal',
      anchor: 'start',
    },
    width,
    height: 100,
    data: {
      values: steps.flatMap((t) =>
        ex.features.map((feature, j) => ({ t, feature, value: Number(ex.inputs[t][j].toPrecision(4)) })),
      ),
    },
    mark: { type: 'line', point: steps.length <= 40, tooltip: true },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', title: 'value' },
      color: { field: 'feature', type: 'nominal', title: 'feature', sort: ex.features },
    },
  };
  const shown =
    units < (trace.values.i[0]?.length ?? 0) ? `; the first ${units} units of ${trace.values.i[0].length}` : '';
  return {
    ...chartHeader({
      title: opts.title,
      subtitle: `${where(trace, opts.bidirectional)}, example ${ex.id} (${ex.caption})${shown}`,
    }),
    vconcat: [...panels, inputs],
    spacing: 12,
    resolve: { scale: { color: 'independent' } },
    config: { legend: { gradientLength: 80, titleFontSize: 11, labelFontSize: 10 } },
  } as VegaLiteSpec;
}

const GATE_COLORS = { domain: [...GATES], range: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e'] };

/** Per gate, the share of saturated activations at each time step: one line per gate, a panel per layer. */
export function saturationSpec(summary: GateSummary[], opts: PlotTitle & { bidirectional: boolean }): VegaLiteSpec {
  const values = summary.flatMap((s) =>
    s.saturatedByStep.flatMap((share, t) =>
      Number.isFinite(share) ? [{ where: where(s, opts.bidirectional), gate: s.gate, t, share }] : [],
    ),
  );
  const panels = [...new Set(values.map((v) => v.where))];
  return {
    ...chartHeader(opts),
    data: { values },
    facet: { column: { field: 'where', type: 'nominal', title: null, sort: panels } },
    spec: {
      width: panels.length > 2 ? 220 : 400,
      height: 200,
      mark: { type: 'line', point: false, tooltip: true },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time step', axis: { format: 'd', tickMinStep: 1 } },
        y: { field: 'share', type: 'quantitative', title: 'share saturated', scale: { domain: [0, 1] } },
        color: { field: 'gate', type: 'nominal', title: 'gate', scale: GATE_COLORS },
      },
    },
  };
}

/** Per gate, the distribution of its activations: a histogram per gate (rows) and layer (columns). */
export function distributionSpec(summary: GateSummary[], opts: PlotTitle & { bidirectional: boolean }): VegaLiteSpec {
  const values = summary.flatMap((s) =>
    s.shares.map((share, k) => ({
      where: where(s, opts.bidirectional),
      gate: s.gate,
      from: s.edges[k],
      to: s.edges[k + 1],
      share,
    })),
  );
  const panels = [...new Set(values.map((v) => v.where))];
  return {
    ...chartHeader(opts),
    data: { values },
    facet: {
      row: { field: 'gate', type: 'nominal', title: null, sort: [...GATES] },
      column: { field: 'where', type: 'nominal', title: null, sort: panels },
    },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: panels.length > 2 ? 200 : 320,
      height: 70,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'from', type: 'quantitative', title: 'activation' },
        x2: { field: 'to' },
        y: { field: 'share', type: 'quantitative', title: 'share' },
        color: { field: 'gate', type: 'nominal', legend: null, scale: GATE_COLORS },
      },
    },
  };
}
