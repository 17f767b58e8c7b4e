// The long phases' progress bars: drawn on a terminal only, one phase after another, nothing otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createPhaseProgress } from '../../src/cli/output.js';

/** A stream that keeps what is written, posing as a terminal of 80 columns. */
function terminal() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(stream, {
    isTTY: true,
    columns: 80,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

test('on a terminal each long phase draws its own bar; the next phase ends the last', () => {
  const t = terminal();
  const bars = createPhaseProgress({ quiet: false, tty: true, stream: t.stream, after: 0 });
  const reading = bars.progress('reading big.csv')!;
  reading(50, 100);
  assert.match(t.text(), /reading big\.csv .* 50%/);
  const fitting = bars.progress('fitting the linear skip')!;
  fitting(1, 4);
  reading(100, 100); // a phase that was ended draws nothing more
  assert.match(t.text(), /fitting the linear skip .* 25%/);
  assert.doesNotMatch(t.text(), /reading big\.csv .* 100%/);
  bars.close();
});

test('not a terminal, or --quiet: no bar and no callback at all', () => {
  const t = terminal();
  for (const o of [
    { quiet: false, tty: false },
    { quiet: true, tty: true },
  ]) {
    const bars = createPhaseProgress({ ...o, stream: t.stream, after: 0 });
    assert.equal(bars.progress('reading big.csv'), undefined);
    bars.close();
  }
  assert.equal(t.text(), '');
});
