// Shared by the checkpoint tests: a small real model, temp folders, a pid that is certainly dead.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** An LSTM(3) over [5 steps, 2 features] and a Dense(1) head: the shape of the models lstm-train saves. */
export function makeModel(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed * 10 + s });
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: 3,
      inputShape: [5, 2],
      kernelInitializer: init(1),
      recurrentInitializer: init(2),
      biasInitializer: init(3),
    }),
  );
  model.add(tf.layers.dense({ units: 1, kernelInitializer: init(4), biasInitializer: init(5) }));
  return model;
}

/** A fixed batch: x [8, 5, 2], y [8, 1]. */
export function batch(): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.tensor3d(
    Array.from({ length: 80 }, (_, i) => Math.sin(i * 0.37)),
    [8, 5, 2],
  );
  const y = tf.tensor2d(
    Array.from({ length: 8 }, (_, i) => Math.cos(i * 0.5)),
    [8, 1],
  );
  return { x, y };
}

export async function predictions(model: tf.LayersModel, x: tf.Tensor): Promise<number[]> {
  const out = model.predict(x) as tf.Tensor;
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

export function tempDir(prefix = 'lstm-ckpt-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A pid that existed and has exited: what a killed saver leaves in temporary names. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Names in `dir`, sorted: to check that no temporaries are left behind. */
export async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
