import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCard } from '../../src/checkpoint/model-card.js';

const META = join(import.meta.dirname, '..', 'fixtures', 'v2', 'sine', 'checkpoint', 'meta.json');

test('a card that does not say model.impl or model.linearSkip meant the defaults of its time: builtin, no skip', () => {
  const stored = JSON.parse(readFileSync(META, 'utf8')) as { config: { model: Record<string, unknown> } };
  const { impl: _impl, linearSkip: _skip, ...model } = stored.config.model;
  const card = parseCard({ ...stored, config: { ...stored.config, model } }, META);
  assert.equal(card.config.model.impl, 'builtin', "today's default (hand) never changes an old model");
  assert.equal(card.config.model.linearSkip, false);
  const said = parseCard(stored, META);
  assert.equal(said.config.model.impl, stored.config.model.impl);
});
