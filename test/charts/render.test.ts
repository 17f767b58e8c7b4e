import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSpec, writePlot } from '../../src/charts/render.js';
import { lossCurveSpec, wantsLogScale, type LossRow } from '../../src/charts/loss-plot.js';
import { confusionSpec, forecastSpec } from '../../src/charts/prediction-plot.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function curve(series: string, start: number, decay: number, epochs = 12): LossRow[] {
  return Array.from({ length: epochs }, (_, i) => [
    { epoch: i + 1, series, split: 'train' as const, loss: start * Math.exp(-decay * i) },
    { epoch: i + 1, series, split: 'val' as const, loss: 1.1 * start * Math.exp(-decay * 0.8 * i) },
  ]).flat();
}

test('the decade rule: a log axis only when max/min > 10 and every value is positive', () => {
  assert.equal(wantsLogScale([1, 0.5, 0.2]), false);
  assert.equal(wantsLogScale([1, 0.1]), false, 'exactly a decade is not more than one');
  assert.equal(wantsLogScale([1, 0.09]), true);
  assert.equal(wantsLogScale([10, 0]), false, 'zero cannot go on a log axis');
  assert.equal(wantsLogScale([]), false);
  const yScale = (rows: LossRow[]) => (lossCurveSpec(rows, { title: 't' }) as any).encoding.y.scale.type;
  assert.equal(yScale(curve('a', 1, 0.05)), 'linear');
  assert.equal(yScale(curve('a', 1, 0.5)), 'log');
});

test('a single run is coloured by split; several variants by series with dashed val', () => {
  const single = lossCurveSpec(curve('builtin', 1, 0.1), { title: 'one' }) as any;
  assert.equal(single.encoding.color.field, 'split');
  assert.equal(single.encoding.strokeDash, undefined);
  const many = lossCurveSpec([...curve('builtin', 1, 0.1), ...curve('hand-fused', 2, 0.2)], { title: 'two' }) as any;
  assert.equal(many.encoding.color.field, 'series');
  assert.equal(many.encoding.strokeDash.field, 'split');
  assert.deepEqual(many.encoding.strokeDash.scale.domain, ['train', 'val']);
  assert.deepEqual(many.encoding.strokeDash.scale.range[0], [1, 0], 'train is solid');
});

test('non-finite losses are dropped instead of breaking the axis', () => {
  const rows = curve('a', 1, 0.1);
  rows.push({ epoch: 13, series: 'a', split: 'train', loss: NaN });
  const spec = lossCurveSpec(rows, { title: 't' }) as any;
  assert.equal(spec.data.values.length, rows.length - 1);
});

test('renderSpec gives an SVG with the title and a PNG of plausible size', async () => {
  const title = 'sine — builtin LSTM (wasm)';
  const { svg, png } = await renderSpec(lossCurveSpec(curve('builtin', 1, 0.4), { title, subtitle: 'seed 7' }));
  assert.ok(svg.startsWith('<svg'), 'an SVG document');
  assert.ok(svg.includes(title), 'the title is in the SVG');
  assert.ok(svg.includes('seed 7'), 'the subtitle is in the SVG');
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature');
  const { width, height } = pngSize(png);
  assert.ok(width >= 500 && width <= 900, `width ${width}`);
  assert.ok(height >= 250 && height <= 600, `height ${height}`);
  assert.ok(png.length > 5000, 'not an empty image');
});

test('writePlot writes svg, png and the spec', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lstm-plot-'));
  try {
    const spec = lossCurveSpec([...curve('builtin', 1, 0.1), ...curve('hand-fused', 1, 0.3)], { title: 'compare' });
    const paths = await writePlot(join(dir, 'plots'), 'loss', spec);
    assert.deepEqual(
      paths,
      ['loss.svg', 'loss.png', 'loss.vl.json'].map((f) => join(dir, 'plots', f)),
    );
    assert.ok((await readFile(paths[0], 'utf8')).includes('compare'));
    assert.ok((await readFile(paths[1])).subarray(0, 8).equals(PNG_SIGNATURE));
    assert.deepEqual(JSON.parse(await readFile(paths[2], 'utf8')), JSON.parse(JSON.stringify(spec)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('forecast and confusion charts render with their labels', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => [
    { id: 100 + i, target: 'temp', actual: Math.sin(i / 5), predicted: Math.sin(i / 5 + 0.2) },
    { id: 100 + i, target: 'load', actual: 50 + i, predicted: 49 + i },
  ]).flat();
  const forecast = await renderSpec(forecastSpec(rows, { title: 'forecast: test split' }));
  for (const text of ['forecast: test split', 'temp', 'load', 'predicted'])
    assert.ok(forecast.svg.includes(text), text);
  const confusion = await renderSpec(
    confusionSpec(
      ['cat', 'dog', 'eel'],
      [
        [5, 1, 0],
        [2, 7, 0],
        [0, 0, 913],
      ],
    ),
  );
  for (const text of ['cat', 'eel', '>913<', 'actual', 'predicted']) assert.ok(confusion.svg.includes(text), text);
  assert.throws(() => confusionSpec(['a', 'b'], [[1, 2]]), /2x2/);
});
