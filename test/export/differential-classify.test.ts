// The differential test for classifiers (issue 31): rows of the v2 fixtures' wide and long (ragged, masked) data, as
// they are and with one hostile cell in the first sequence, and data/order.csv and order-long.csv as shipped, through
// lstm-predict, predict.js and lstm-serve.
import { differential, casesOf, fixtureCells, HOSTILE, shipped, type Edit, type Where } from './differential.js';

const first: Where = () => true;
const s0: Where = (r) => r.seq === 's0' && r.step === '3';
const long = fixtureCells('order-long').filter((r, i) => i === 0 || Number(r[0].slice(1)) < 6); // s0–s5

differential([
  shipped('order-wide', 'order.csv'),
  shipped('order-long', 'order-long.csv'),
  ...casesOf(
    'order-wide',
    fixtureCells('order-wide').slice(0, 9),
    HOSTILE.map((v): Edit => ['x_3', first, v]),
  ),
  ...casesOf('order-long', long, [
    ...HOSTILE.map((v): Edit => ['x', s0, v]),
    ['step', s0, ' 3 '],
    ['step', s0, '0x1A'],
    ['seq', s0, ''],
  ]),
]);
