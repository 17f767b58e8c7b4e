// The evaluation and prediction charts read as a person sees them: rendered, and where their labels land.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSpec } from '../../src/charts/render.js';
import { fanChartSpec } from '../../src/charts/fan-chart.js';
import { maeByStepSpec, predictedClassesSpec } from '../../src/charts/prediction-plot.js';

/** Where each of `labels` is drawn in the SVG: the translate of its <text>. */
function positions(svg: string, labels: string[]): { x: number; y: number }[] {
  return labels.map((label) => {
    const m = new RegExp(`<text[^>]*translate\\(([-\\d.]+),([-\\d.]+)\\)[^>]*>${label}</text>`).exec(svg);
    assert.ok(m, `label ${label} drawn`);
    return { x: Number(m[1]), y: Number(m[2]) };
  });
}

test('the predicted-labels chart of 10 classes with long names gives each label a line of its own', async () => {
  const classes = Array.from({ length: 10 }, (_, k) => `a rather long class name ${k}`);
  const labels = Array.from({ length: 200 }, (_, i) => classes[(i * 7) % 10]);
  const { svg } = await renderSpec(predictedClassesSpec(classes, labels, { title: 'ten: predicted labels' }));
  const ys = positions(svg, classes)
    .map((p) => p.y)
    .sort((a, b) => a - b);
  for (let k = 1; k < ys.length; k++) assert.ok(ys[k] - ys[k - 1] >= 11, `labels ${ys.join(', ')} overlap`);
});

test('MAE one step ahead: a bar per forecast, each with its value, so no dot hides another', async () => {
  const rows = [
    { target: 'value', step: 1, forecast: 'model', mae: 0.1566 },
    { target: 'value', step: 1, forecast: 'persistence', mae: 0.2435 },
    { target: 'value', step: 1, forecast: 'linear', mae: 0.1566 },
  ];
  const { svg } = await renderSpec(maeByStepSpec(rows, { title: 'sine: MAE by step ahead' }));
  const at = positions(svg, ['model', 'persistence', 'linear']);
  assert.equal(new Set(at.map((p) => p.y)).size, 3, 'each forecast on its own row');
  assert.equal(svg.match(/>0\.1566</g)?.length, 2, 'the tied values both written');
  assert.ok(svg.includes('>0.2435<'));
});

test("a fan chart's legend lists only what it draws: no 'actual' for a forecast past the file's end", async () => {
  const history = Array.from({ length: 20 }, (_, i) => ({ target: 'load', x: i, kind: 'history' as const, value: i }));
  const ahead = [20, 21, 22].map((x) => ({ target: 'load', x, kind: 'forecast' as const, value: x }));
  const bands = ahead.map((p) => ({ target: 'load', x: p.x, level: '80%', lower: p.value - 1, upper: p.value + 1 }));
  const opts = { title: 'hourly: forecast', temporal: false };
  const { svg } = await renderSpec(fanChartSpec([...history, ...ahead], bands, opts));
  assert.ok(svg.includes('>history<') && svg.includes('>forecast<'));
  assert.ok(!svg.includes('>actual<'), 'no actual values, no actual in the legend');
  const truth = ahead.map((p) => ({ ...p, kind: 'actual' as const, value: p.value + 0.5 }));
  assert.ok((await renderSpec(fanChartSpec([...history, ...ahead, ...truth], bands, opts))).svg.includes('>actual<'));
});
