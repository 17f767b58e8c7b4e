// What lstm-tune says after each trial's rung and each rung: pure text from the study's events.
import { formatNumber } from '../util/table.js';
import type { Trial } from './study-files.js';

/** The end of a rung: the trials ranked on it, and what became of each. */
export interface RungDone {
  type: 'rungDone';
  rung: number;
  epochs: number;
  /** the next rung's epochs */
  nextEpochs?: number;
  /** how many of the `of` ranked trials were kept (the best 1/eta) */
  kept: number;
  of: number;
  /** kept, and training on to nextEpochs */
  goOn: number[];
  /** kept, but early stopping ended their training: their score stands, they train no further */
  stopped: number[];
  /** ranked outside the kept */
  pruned: number[];
  /** failed on this rung */
  failed: number[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const trials = (ids: number[]) => `trial${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`;

/** A trial's rung: its score, and when early stopping ended it, at which epoch and why. */
export function trialOutcome(t: Trial, metric: string): string {
  if (t.status === 'failed') return `failed: ${t.error}`;
  const score = `val ${metric} ${formatNumber(t.score ?? NaN)}`;
  if (!t.stoppedEarly) return score;
  return `${score}; stopped early after epoch ${t.epochs}: val loss not better since epoch ${t.bestEpoch}`;
}

/** The rung's end in a few lines: who goes on, who stopped early, who was pruned or failed, and why. */
export function rungLines(e: RungDone): string[] {
  const lines = [
    `rung ${e.rung + 1} (${plural(e.epochs, 'epoch')}) done: ${e.of} of ${e.of + e.failed.length} trials scored`,
  ];
  const kept = `the best ${e.kept} of ${e.of}`;
  if (e.goOn.length > 0)
    lines.push(`  ${trials(e.goOn)} go${e.goOn.length === 1 ? 'es' : ''} on to ${e.nextEpochs} epochs (${kept})`);
  if (e.stopped.length > 0) {
    const one = e.stopped.length === 1;
    lines.push(
      `  ${trials(e.stopped)} stopped early (val loss no longer improving) and keep${one ? 's' : ''} ${one ? 'its' : 'their'} score`,
    );
  }
  if (e.goOn.length === 0)
    lines.push(
      e.stopped.length > 0
        ? `  no trial goes on to ${e.nextEpochs} epochs: ${kept} stopped early, so the study ends here`
        : `  no trial goes on to ${e.nextEpochs} epochs: none scored`,
    );
  if (e.pruned.length > 0) lines.push(`  ${trials(e.pruned)} pruned: outside ${kept}`);
  if (e.failed.length > 0) lines.push(`  ${trials(e.failed)} failed`);
  return lines;
}
