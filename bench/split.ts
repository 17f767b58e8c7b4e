// Where a hand-fused training step spends its time: forward, backward loop, and the after-loop gradient matMuls.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.js';
import { lstmFused } from '../src/models/lstm-fused.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

/** CPU time of this process in ms: on a shared machine it moves far less with other people's load than wall time. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Times f (wall and cpu ms), `reps` times after 2 warm-ups; returns the medians. */
function measure(f: () => void, reps: number): { wall: number; cpu: number } {
  for (let i = 0; i < 3; i++) f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const [w0, c0] = [performance.now(), cpuMs()];
    f();
    wall.push(performance.now() - w0);
    cpu.push(cpuMs() - c0);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export async function splitFusedStep(workload: WorkloadName, reps: number) {
  const w = WORKLOADS[workload];
  const [B, T, I, H] = [w.batch, w.steps, w.features, w.hidden];
  const x = tf.randomNormal([B, T, I]) as tf.Tensor3D;
  const weights = [tf.randomNormal([I, 4 * H], 0, 0.1), tf.randomNormal([H, 4 * H], 0, 0.1), tf.zeros([4 * H])].map((t) => tf.variable(t));
  const r = tf.randomNormal([B, T, H]);
  const loss = () => {
    const [kernel, recurrentKernel, bias] = weights as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R1>];
    return tf.sum(tf.mul(lstmFused(x, { kernel, recurrentKernel, bias }, undefined).outputs, r)) as tf.Scalar;
  };
  const inference = measure(() => tf.tidy(() => void loss().dataSync()), reps);
  // Forward and backward of one taped call: the forward ends when variableGrads' f returns.
  const fwdWall: number[] = [];
  const fwdCpu: number[] = [];
  const full = measure(() => tf.tidy(() => {
    const [w0, c0] = [performance.now(), cpuMs()];
    const { grads } = tf.variableGrads(() => {
      const l = loss();
      l.dataSync();
      fwdWall.push(performance.now() - w0);
      fwdCpu.push(cpuMs() - c0);
      return l;
    }, weights);
    Object.values(grads)[0].dataSync();
  }), reps);
  const forwardTaped = { wall: median(fwdWall.slice(3)), cpu: median(fwdCpu.slice(3)) };
  // The after-loop gradient ops of lstm-fused.ts on fresh operands of the same shapes (dX is skipped: x is data).
  const dZ = tf.randomNormal([T * B, 4 * H]);
  const xFlat = tf.randomNormal([T * B, I]);
  const hs = tf.randomNormal([T, B, H]);
  const afterLoop = measure(() => tf.tidy(() => {
    const fresh = tf.add(dZ, 0);
    const hPrev = tf.concat([tf.zeros([1, B, H]), tf.slice(hs, 0, T - 1)]);
    const both = tf.concat([xFlat, tf.reshape(hPrev, [T * B, H])], 1);
    tf.split(tf.transpose(tf.matMul(tf.transpose(fresh), both)), [I, H]);
    tf.sum(fresh, 0).dataSync();
  }), reps);
  return { inference, forwardTaped, full, afterLoop };
}

if (process.argv[1]?.endsWith('split.ts')) {
  const workload = (process.argv[2] ?? 'W1') as WorkloadName;
  await selectBackend('wasm', 'fixed');
  const s = await splitFusedStep(workload, Number(process.argv[3] ?? 7));
  const fmt = (m: { wall: number; cpu: number }) => `${m.wall.toFixed(1)} ms wall, ${m.cpu.toFixed(1)} ms cpu`;
  const backward = { wall: s.full.wall - s.forwardTaped.wall, cpu: s.full.cpu - s.forwardTaped.cpu };
  const loop = { wall: backward.wall - s.afterLoop.wall, cpu: backward.cpu - s.afterLoop.cpu };
  console.log(`hand-fused LSTM layer, ${workload}, one batch (LSTM only, no head/optimizer):`);
  console.log(`  inference (no tape)           ${fmt(s.inference)}`);
  console.log(`  forward, taped                ${fmt(s.forwardTaped)}`);
  console.log(`  backward total                ${fmt(backward)}`);
  console.log(`    after-loop matMuls + sum    ${fmt(s.afterLoop)}`);
  console.log(`    backward loop + factors     ${fmt(loop)}`);
}
