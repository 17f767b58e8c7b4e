import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFieldTable } from '../src/config/docs.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

test('the README config table is the one the schema generates (npm run docs)', () => {
  assert.ok(readme.includes(configFieldTable()), 'README.md is out of date: run npm run docs');
});

test('the README starts with the install-and-train command and the test command', () => {
  const blocks = [...readme.matchAll(/```sh\n([^`]+)```/g)].map((m) => m[1].trim());
  assert.equal(blocks[0], 'npm install && npx lstm-train --config configs/forecast.json');
  assert.equal(blocks[1], 'npm test');
});
