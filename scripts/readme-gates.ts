// Regenerates the README's gates walkthrough: trains configs/classify.json, traces its gates (lstm-eval --gates),
// measures what the README says about them on the whole test split, and writes docs/gates.md, docs/gates.png and
// docs/report.png (a screenshot of the run's report.html in headless Chromium).
// Usage: npx tsx scripts/readme-gates.ts
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadModelCheckpoint } from '../src/checkpoint/model-checkpoint.js';
import { exampleGates, type Gates } from '../src/eval/gates.js';
import { loadCardData } from '../src/task/dataset.js';
import { launchBrowser, openPage } from '../test/browser.js';

const ROOT = resolve(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');

function run(bin: string, args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} failed:\n${r.stderr}`);
  return r.stdout;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
const fmt = (x: number) => x.toFixed(3);

/** Over every test sequence: the gates' mean over units the step before each bump and at it; h at the end by class. */
async function measure(best: string) {
  tf.enableProdMode();
  const { model, card } = await loadModelCheckpoint(best);
  const dataset = await loadCardData(card);
  const split = dataset.splits.test;
  const all = Array.from({ length: split.size }, (_, i) => i);
  const examples = exampleGates(model, dataset, split, all, () => '');
  const labels = split.batch(all).y;
  const at = { i: [[], [], [], []] as number[][], f: [[], [], [], []] as number[][] };
  const lastH: Record<string, number[][]> = { xy: [], yx: [] };
  const unitF: number[][] = [];
  // by phase (before the 1st bump, between, after the 2nd): the share of f above 0.9, and the mean |c|
  const phases = { fHigh: [[], [], []] as number[][], absC: [[], [], []] as number[][] };
  examples.forEach((ex, n) => {
    const v = ex.layers[0].values;
    const bumps = [argmax(ex.inputs.map((r) => r[0])), argmax(ex.inputs.map((r) => r[1]))].sort((a, b) => a - b);
    for (const q of ['i', 'f'] as const)
      bumps.forEach((t, k) => {
        if (t === 0) return;
        at[q][2 * k].push(mean(v[q][t - 1]));
        at[q][2 * k + 1].push(mean(v[q][t]));
      });
    lastH[card.fitted.classes[labels[n]]].push(v.h[ex.length - 1]);
    for (let t = 0; t < ex.length; t++) {
      const phase = t < bumps[0] ? 0 : t <= bumps[1] ? 1 : 2;
      phases.fHigh[phase].push(mean(v.f[t].map((x) => (x > 0.9 ? 1 : 0))));
      phases.absC[phase].push(mean(v.c[t].map(Math.abs)));
    }
    unitF.push(v.f[0].map((_, u) => mean(v.f.map((row) => row[u]))));
  });
  const units = unitF[0].length;
  const perUnitF = Array.from({ length: units }, (_, u) => mean(unitF.map((r) => r[u])));
  const apart = Array.from({ length: units }, (_, u) =>
    Math.abs(mean(lastH.xy.map((h) => h[u])) - mean(lastH.yx.map((h) => h[u]))),
  ).filter((d) => d > 1).length;
  model.dispose();
  return { at, perUnitF, apart, units, count: examples.length, phases };
}

async function screenshot(report: string, out: string): Promise<void> {
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser, pathToFileURL(report).href);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn', null, { timeout: 60_000 });
    await page.locator('#eval').scrollIntoViewIfNeeded();
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'readme-gates-'));
  try {
    for (const d of ['data', 'configs']) mkdirSync(join(work, d));
    copyFileSync(join(ROOT, 'data', 'order.csv'), join(work, 'data', 'order.csv'));
    copyFileSync(join(ROOT, 'configs', 'classify.json'), join(work, 'configs', 'classify.json'));
    run('lstm-train', ['--config', 'configs/classify.json', '--out', 'runs', '--quiet'], work);
    const runDir = join(work, 'runs', readdirSync(join(work, 'runs'))[0]);
    const best = join(runDir, 'checkpoints', 'best');
    const gatesOut = run('lstm-eval', [best, '--gates'], work);
    const gates = JSON.parse(readFileSync(join(runDir, 'gates', 'gates.json'), 'utf8')) as Gates;
    const heatmap = readdirSync(join(runDir, 'gates')).find((f) => /^gates-.*-layer1\.png$/.test(f))!;
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(join(runDir, 'gates', heatmap), join(DOCS, 'gates.png'));
    await screenshot(join(runDir, 'report.html'), join(DOCS, 'report.png'));
    const m = await measure(best);
    const f = gates.summary.find((s) => s.gate === 'f')!;
    const row = (q: 'i' | 'f') => `| ${q} | ${m.at[q].map((xs) => fmt(mean(xs))).join(' | ')} |`;
    writeFileSync(
      join(DOCS, 'gates.md'),
      [
        '<!-- generated by scripts/readme-gates.ts from configs/classify.json; do not edit -->',
        '```',
        `$ npx lstm-eval ${best.slice(work.length + 1)} --gates`,
        gatesOut.split(`${work}/`).join('').trimEnd(),
        '```',
        '',
        `Measured on all ${m.count} test sequences: the gates' mean over the ${m.units} units, the step before each bump and at it.`,
        '',
        '| gate | before the 1st bump | at the 1st bump | before the 2nd bump | at the 2nd bump |',
        '|---|---|---|---|---|',
        row('f'),
        row('i'),
        '',
        `Per unit, the forget gate's mean over the split lies between ${fmt(Math.min(...m.perUnitF))} and ` +
          `${fmt(Math.max(...m.perUnitF))}; ${(f.saturated * 100).toFixed(2)}% of its activations are saturated. ` +
          `At the last step, ${m.apart} of the ${m.units} units' mean h differs by more than 1 between the two classes.`,
        '',
        '| | before the 1st bump | from the 1st to the 2nd bump | after the 2nd bump |',
        '|---|---|---|---|',
        `| share of f above 0.9 | ${m.phases.fHigh.map((xs) => fmt(mean(xs))).join(' | ')} |`,
        `| mean \\|c\\| | ${m.phases.absC.map((xs) => fmt(mean(xs))).join(' | ')} |`,
        '',
      ].join('\n'),
    );
    process.stdout.write('wrote docs/gates.md, docs/gates.png and docs/report.png\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
