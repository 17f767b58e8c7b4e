// How a command shows training progress: a progress bar on a TTY, one plain line per epoch otherwise, or nothing.
import cliProgress from 'cli-progress';
import type { TrainEvent } from '../train/fit.js';
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
