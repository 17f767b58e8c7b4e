import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isNumberText,
  naSet,
  notANumber,
  numberOfValue,
  orderKeys,
  parseNumber,
  quoteCell,
  textOfValue,
} from '../../src/data/cells.js';
import { Rng } from '../../src/util/rng.js';

test('a number cell is the very double Number() gives, and anything but a plain decimal is not a number', () => {
  const rng = new Rng(3);
  for (let k = 0; k < 20_000; k++) {
    const magnitude = 10 ** Math.floor(rng.next() * 14 - 4);
    const text = ((rng.next() - 0.5) * magnitude).toFixed(Math.floor(rng.next() * 12));
    assert.ok(Object.is(parseNumber(text), Number(text)), text);
  }
  for (const text of ['1e5', '-2.5E-3', '+7', '.5', '5.', '-0', '12345678901234567890.5', '0.1234567890123456789'])
    assert.ok(Object.is(parseNumber(text), Number(text)), text);
  assert.ok(Number.isNaN(parseNumber('  ')));
  assert.equal(parseNumber(' 4.5\t'), 4.5);
  assert.equal(parseNumber('\u00a03'), 3);
  for (const text of ['.', '-', '1.2.3', '0x1F', '1e', '1e+', 'Infinity', '1,5', '12abc', '1_000', 'e5'])
    assert.equal(parseNumber(text), undefined, text);
});

test("missing values: the empty cell and pandas' na_values are NaN, or only the tokens given", () => {
  for (const text of ['', ' ', 'NA', 'N/A', 'NaN', 'null', 'NULL', 'None', '#N/A', ' nan '])
    assert.ok(Number.isNaN(parseNumber(text)), text);
  const own = naSet(['-999']);
  assert.ok(Number.isNaN(parseNumber('-999', own)));
  assert.equal(parseNumber('NA', own), undefined);
  assert.equal(parseNumber('NA', naSet([])), undefined);
  assert.ok(Number.isNaN(parseNumber('', naSet([]))));
});

test('outside float32 range or not decimal is no number, in a text cell and in a JSON value alike', () => {
  for (const bad of ['0x1A', '0b11', '0o17', '1e400', '-1e39', '3.5e38', 'Infinity', '1_0']) {
    assert.equal(parseNumber(bad), undefined, bad);
    assert.equal(numberOfValue(bad), undefined, bad);
  }
  assert.equal(parseNumber('3.4e38'), 3.4e38);
  for (const bad of [1e300, -1e39, Infinity, NaN, true, {}, []]) assert.equal(numberOfValue(bad), undefined);
  assert.equal(numberOfValue(-2.5), -2.5);
  assert.ok(Object.is(numberOfValue('-0'), -0));
  assert.equal(numberOfValue(' 12 '), 12);
  assert.ok(Number.isNaN(numberOfValue(null)));
  assert.match(notANumber('1e400'), /expected a number within float32 range .*found "1e400"/);
  assert.equal(notANumber('0x1A'), 'expected a number, found "0x1A"');
});

test('a message quotes at most about 40 characters of a cell, whatever its size', () => {
  assert.equal(quoteCell('x'.repeat(10_000_000)), `"${'x'.repeat(37)}…" (10000000 characters)`);
  assert.equal(quoteCell(''), 'an empty cell');
  assert.equal(quoteCell([1, 2]), 'an array');
  assert.equal(textOfValue(' a '), 'a');
  assert.equal(textOfValue(3), '3');
  assert.equal(textOfValue(null), '');
});

test('class labels and order values are numbers only when every one is (no missing value among them)', () => {
  assert.deepEqual(orderKeys(['2', '10', '1.5']), [2, 10, 1.5]);
  assert.deepEqual(orderKeys(['2', 'NA']), ['2', 'NA']);
  assert.deepEqual(orderKeys(['2', '']), ['2', '']);
  assert.equal(isNumberText('0x10'), false);
  for (const bad of ['abc', '0x10', 'Infinity', 'NaN', '1,5', '1 2', '']) assert.equal(isNumberText(bad), false, bad);
  assert.ok(isNumberText(' -1.5e-3 '));
});
