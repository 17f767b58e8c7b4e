// How a command shows training progress: a progress bar on a TTY, one plain line per epoch otherwise, or nothing.
import cliProgress from 'cli-progress';
import type { TrainEvent } from '../train/fit.js';
import type { ProgressPhases } from '../util/progress.js';
import { formatNumber } from '../util/table.js';

export interface Reporter {
  event: (e: TrainEvent) => void;
  /** a line of information (not shown with --quiet) */
  info: (line: string) => void;
  /** stop any bar before other output */
  close: () => void;
}

export function createReporter(opts: { quiet: boolean; tty?: boolean; metric: string; label?: string }): Reporter {
  const out = process.stdout;
  const tty = opts.tty ?? out.isTTY === true;
  const prefix = opts.label ? `${opts.label} ` : '';
  let bar: cliProgress.SingleBar | undefined;
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const line = (s: string) => {
    if (!opts.quiet) out.write(`${s}\n`);
  };
  return {
    info: line,
    close: stopBar,
    event(e) {
      if (opts.quiet) return;
      if (e.type === 'epochStart' && tty) {
        bar = new cliProgress.SingleBar(
          {
            format: `${prefix}epoch ${e.epoch}/${e.epochs} {bar} {value}/{total} loss {loss} {sps} samples/s ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: true,
            stream: out,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(e.batches, e.firstBatch, { loss: '-', sps: '-' });
      } else if (e.type === 'batch') {
        bar?.update(e.batch, { loss: formatNumber(e.loss), sps: Math.round(e.samplesPerSec) });
      } else if (e.type === 'start') {
        line(
          `${prefix}epoch 0 (the start: the linear skip alone): val loss ${formatNumber(e.valLoss)} ` +
            `val ${opts.metric} ${formatNumber(e.valMetric)} *`,
        );
      } else if (e.type === 'epochEnd') {
        stopBar();
        const r = e.row;
        line(
          `${prefix}epoch ${r.epoch}: train loss ${formatNumber(r.trainLoss)} val loss ${formatNumber(r.valLoss)} ` +
            `train ${opts.metric} ${formatNumber(r.trainMetric)} val ${opts.metric} ${formatNumber(r.valMetric)} ` +
            `${formatNumber(r.seconds)}s ${Math.round(r.samplesPerSec)} samples/s${e.improved ? ' *' : ''}`,
        );
      }
    },
  };
}

/** A long phase's bar shows once the phase has run this long, so quick loads draw nothing. */
const PHASE_BAR_AFTER_MS = 1500;

/**
 * Progress bars for prepare's long phases (reading the file, fitting the statistical peers and the linear skip): on
 * a terminal only, one bar per phase, drawn once the phase has taken more than a moment; nothing otherwise. `close`
 * stops any bar left.
 */
export function createPhaseProgress(opts: {
  quiet: boolean;
  tty?: boolean;
  stream?: NodeJS.WriteStream;
  /** ms a phase runs before its bar shows */
  after?: number;
}): { progress: ProgressPhases; close: () => void } {
  const out = opts.stream ?? process.stdout;
  const tty = opts.tty ?? out.isTTY === true;
  const after = opts.after ?? PHASE_BAR_AFTER_MS;
  let bar: cliProgress.SingleBar | undefined;
  const close = () => {
    bar?.stop();
    bar = undefined;
  };
  const progress: ProgressPhases = (phase) => {
    if (opts.quiet || !tty) return undefined;
    const started = performance.now();
    let mine: cliProgress.SingleBar | undefined;
    return (done, total) => {
      if (mine === undefined) {
        if (performance.now() - started < after) return;
        close(); // the phase before this one is over
        mine = bar = new cliProgress.SingleBar(
          {
            format: `${phase} {bar} {percentage}% ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: true,
            stream: out,
          },
          cliProgress.Presets.shades_classic,
        );
        mine.start(total, done);
      }
      if (mine === bar) mine.update(done);
      if (done >= total && mine === bar) close();
    };
  };
  return { progress, close };
}
