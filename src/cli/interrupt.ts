// Ctrl-C / SIGTERM during training: the first asks the loop to stop after the current batch, a second exits at once.
export interface Interrupts {
  requested: () => boolean;
  dispose: () => void;
}

export function watchInterrupts(onFirst?: () => void): Interrupts {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) {
      process.stderr.write('\nstopping after this batch and writing checkpoints/last (Ctrl-C again to quit at once)\n');
      onFirst?.();
    } else {
      // checkpoint writes are atomic (temp dir + rename), so exiting here never leaves a half-written one
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    requested: () => count > 0,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
