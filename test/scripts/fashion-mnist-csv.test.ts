import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLASSES,
  DEBIAN_DIR,
  csvHeader,
  hasFashionMnist,
  parseImages,
  parseLabels,
  readSplit,
  toCsv,
} from '../../scripts/fashion-mnist-csv.js';

const absent = hasFashionMnist() ? false : `no Fashion-MNIST at ${DEBIAN_DIR} (apt-get install dataset-fashion-mnist)`;

test(
  'the official test file parses to 10,000 28×28 images, 1,000 of each class, the first an ankle boot',
  { skip: absent },
  () => {
    const { images, labels } = readSplit(DEBIAN_DIR, 't10k');
    assert.deepEqual([images.count, images.rows, images.cols, images.pixels.length], [10000, 28, 28, 10000 * 784]);
    const counts = new Array<number>(10).fill(0);
    for (const l of labels) counts[l]++;
    assert.deepEqual(counts, new Array<number>(10).fill(1000));
    assert.equal(CLASSES[labels[0]], 'Ankle boot');
  },
);

test('a CSV line is the class name and the image bytes, row by row, under c<column>_<row>', { skip: absent }, () => {
  const { images, labels } = readSplit(DEBIAN_DIR, 't10k');
  const lines = toCsv(images, labels, 2).trimEnd().split('\n');
  assert.equal(lines.length, 3);
  const header = lines[0].split(',');
  assert.equal(header.length, 785);
  assert.deepEqual([header[1], header[28], header[29], header[784]], ['c0_0', 'c27_0', 'c0_1', 'c27_27']);
  const second = lines[2].split(',');
  assert.equal(second[0], CLASSES[labels[1]]);
  assert.deepEqual(second.slice(1).map(Number), [...images.pixels.subarray(784, 2 * 784)]);
});

test('bytes that are not an idx file of the expected kind are refused with what was found', () => {
  const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 3, 7]);
  assert.deepEqual([...parseLabels(labels)], [3, 7]);
  assert.throws(() => parseImages(labels, 'x.idx'), /x\.idx: expected idx magic 0x00000803, found 0x801/);
  assert.throws(() => parseLabels(labels.subarray(0, 9), 'y.idx'), /y\.idx: expected 10 bytes for sizes 2, found 9/);
  assert.equal(csvHeader(2, 2), 'label,c0_0,c1_0,c0_1,c1_1');
});
