// Accuracy benches' one step: train a config with the real CLI in a fresh folder, evaluate its best checkpoint.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(bin: string, args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The test-split MAE of the first target: the model's and each baseline's. */
export interface TestMae {
  model: number;
  persistence: number;
  seasonal: number;
  linear: number;
  /** the statistical peers' MAE (NaN: left out, with lstm-eval's note) */
  theta: number;
  ets: number;
  arima: number;
  /** MASE and sMAPE (%) of the model and of each baseline, by lstm-eval's names */
  mase: Record<string, number>;
  smape: Record<string, number>;
}

type Scores = Record<string, { mae: number; mase: number | null; smape: number | null }>;

/** `config` with a variant's sections laid over it, each section's keys over the config's (data keeps its path). */
export function patched(config: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const [k, v] of Object.entries(patch))
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...(config[k] as object), ...v } : v;
  return out;
}

/** Trains `config` in `dir` (created) and returns lstm-eval's test MAE of its best checkpoint. */
export function trainAndEvaluate(dir: string, config: object): TestMae {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ ...config, output: { dir: join(dir, 'runs') } }));
  run('lstm-train', ['--config', 'cfg.json', '--quiet'], dir);
  const best = join(dir, 'runs', readdirSync(join(dir, 'runs'))[0], 'checkpoints', 'best');
  const t = JSON.parse(run('lstm-eval', [best, '--json'], dir)).targets[0] as {
    model: Scores[string];
    baselines: Scores;
  };
  const all: Scores = { model: t.model, ...t.baselines };
  const each = (key: 'mase' | 'smape') => Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v[key] ?? NaN]));
  return {
    model: t.model.mae,
    persistence: t.baselines.persistence.mae,
    seasonal: t.baselines['seasonal-naive']?.mae ?? NaN,
    linear: t.baselines.linear?.mae ?? NaN,
    theta: t.baselines.theta?.mae ?? NaN,
    ets: t.baselines.ets?.mae ?? NaN,
    arima: t.baselines.arima?.mae ?? NaN,
    mase: each('mase'),
    smape: each('smape'),
  };
}

export const fmt = (x: number) => (Number.isNaN(x) ? '' : x.toPrecision(4));
