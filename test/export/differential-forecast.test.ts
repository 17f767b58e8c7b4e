// The differential test for forecasters (issue 31): the v2 fixtures' stations rows (series, a categorical, calendar
// features, known-future temp and weather) and hourly rows (date-times, a known-future column), as they are and with
// one hostile cell in the last window or the future rows, and data/hourly-ahead.csv as shipped, through lstm-predict,
// predict.js and lstm-serve.
import { differential, casesOf, fixtureCells, shipped, type Where } from './differential.js';

// stations: st1's last observed day (the window's last row), a day inside its window, its first future day
const day =
  (date: string): Where =>
  (r) =>
    r.station === 'st1' && r.date === date;
const [last, inWindow, future] = [day('2023-06-30'), day('2023-06-27'), day('2023-07-01')];

const hourly = fixtureCells('hourly-future');
const lastHour = hourly.findIndex((r) => r[1] === '') - 1; // the row before the first whose load is empty
const hour =
  (k: number): Where =>
  (r) =>
    r.time === hourly[k][0];

differential([
  shipped('hourly-future', 'hourly-ahead.csv'),
  ...casesOf('stations', fixtureCells('stations'), [
    ['temp', last, '0x1A'],
    ['temp', last, ' 12 '],
    ['temp', inWindow, 'NA'],
    ['visitors', last, '1e400'],
    ['visitors', last, '-0'],
    ['visitors', last, 'NaN'],
    ['visitors', last, ''], // the target empty: the row is one of the future rows
    ['visitors', inWindow, ''],
    ['weather', last, 'NA'],
    ['weather', last, ''],
    ['station', last, ''],
    ['date', last, '2023-06-30T00:00+01:00'],
    ['temp', future, '0x1A'],
    ['temp', future, ''],
    ['weather', future, 'NA'],
  ]),
  ...casesOf('hourly-future', hourly, [
    ['time', hour(lastHour), `${hourly[lastHour][0]}+01:00`],
    ['load', hour(lastHour), '1e400'],
    ['temp', hour(lastHour + 1), 'NaN'],
  ]),
]);
