// Fashion-MNIST's idx files (Debian's dataset-fashion-mnist) to the wide classify CSV lstm-train reads: a label
// and 784 pixels, time-major (image row t is step t, image column j is feature c<j>: column c<j>_<t>).
//   npx tsx scripts/fashion-mnist-csv.ts --out DIR [--src DIR] [--rows N]
// writes DIR/train.csv (the first N training images, all 60,000 by default) and DIR/test.csv (all 10,000).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
export const SIDE = 28;

/** The ten classes, by label index (Zalando's names). */
export const CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const IMAGES_MAGIC = 0x00000803; // unsigned bytes, 3 dimensions
const LABELS_MAGIC = 0x00000801; // unsigned bytes, 1 dimension

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, row-major */
  pixels: Uint8Array;
}

function header(bytes: Uint8Array, magic: number, dims: number, file: string): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = bytes.byteLength >= 4 ? view.getUint32(0) : -1;
  if (found !== magic)
    throw new Error(
      `${file}: expected idx magic 0x${magic.toString(16).padStart(8, '0')}, found 0x${found.toString(16)}`,
    );
  const sizes = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = 4 + 4 * dims + sizes.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== expected)
    throw new Error(`${file}: expected ${expected} bytes for sizes ${sizes.join('×')}, found ${bytes.byteLength}`);
  return sizes;
}

/** An idx3 image file's bytes (already gunzipped). */
export function parseImages(bytes: Uint8Array, file = 'images'): IdxImages {
  const [count, rows, cols] = header(bytes, IMAGES_MAGIC, 3, file);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/** An idx1 label file's bytes (already gunzipped). */
export function parseLabels(bytes: Uint8Array, file = 'labels'): Uint8Array {
  header(bytes, LABELS_MAGIC, 1, file);
  return bytes.subarray(8);
}

/** One split's files, gunzipped and parsed; `prefix` is train or t10k. */
export function readSplit(dir: string, prefix: 'train' | 't10k'): { images: IdxImages; labels: Uint8Array } {
  const read = (name: string) => gunzipSync(readFileSync(join(dir, name)));
  const imagesFile = `${prefix}-images-idx3-ubyte.gz`;
  const labelsFile = `${prefix}-labels-idx1-ubyte.gz`;
  const images = parseImages(read(imagesFile), join(dir, imagesFile));
  const labels = parseLabels(read(labelsFile), join(dir, labelsFile));
  if (labels.length !== images.count)
    throw new Error(`${dir}: ${images.count} images in ${imagesFile} but ${labels.length} labels in ${labelsFile}`);
  return { images, labels };
}

/** The CSV header: label, then c<j>_<t> for step (image row) t and feature (image column) j, time-major. */
export function csvHeader(rows = SIDE, cols = SIDE): string {
  const names = ['label'];
  for (let t = 0; t < rows; t++) for (let j = 0; j < cols; j++) names.push(`c${j}_${t}`);
  return names.join(',');
}

/** The first `limit` images as CSV text: one line per image, its class name and its pixels 0–255. */
export function toCsv(images: IdxImages, labels: Uint8Array, limit = images.count): string {
  const n = Math.min(limit, images.count);
  const size = images.rows * images.cols;
  const lines = [csvHeader(images.rows, images.cols)];
  for (let i = 0; i < n; i++) {
    const name = CLASSES[labels[i]];
    if (name === undefined) throw new Error(`image ${i}: expected a label 0–9, found ${labels[i]}`);
    lines.push(`${name},${images.pixels.subarray(i * size, (i + 1) * size).join(',')}`);
  }
  return lines.join('\n') + '\n';
}

/** Whether Debian's package (or a copy of its four files) is at `dir`. */
export function hasFashionMnist(dir = DEBIAN_DIR): boolean {
  return ['train', 't10k'].every(
    (p) => existsSync(join(dir, `${p}-images-idx3-ubyte.gz`)) && existsSync(join(dir, `${p}-labels-idx1-ubyte.gz`)),
  );
}

/** Writes train.csv (the first `rows` training images) and test.csv (all test images) into `out`. */
export function writeCsvs(src: string, out: string, rows?: number): { train: string; test: string } {
  mkdirSync(out, { recursive: true });
  const paths = { train: join(out, 'train.csv'), test: join(out, 'test.csv') };
  const train = readSplit(src, 'train');
  writeFileSync(paths.train, toCsv(train.images, train.labels, rows));
  const test = readSplit(src, 't10k');
  writeFileSync(paths.test, toCsv(test.images, test.labels));
  return paths;
}

function main(): void {
  const { values } = parseArgs({
    options: { src: { type: 'string', default: DEBIAN_DIR }, out: { type: 'string' }, rows: { type: 'string' } },
  });
  if (values.out === undefined) throw new Error('--out: expected the folder to write train.csv and test.csv into');
  if (!hasFashionMnist(values.src)) {
    console.log(`skipped: no Fashion-MNIST at ${values.src} (apt-get install dataset-fashion-mnist)`);
    return;
  }
  const rows = values.rows === undefined ? undefined : Number(values.rows);
  if (rows !== undefined && !(Number.isInteger(rows) && rows > 0))
    throw new Error(`--rows: expected a positive integer, got ${values.rows}`);
  const paths = writeCsvs(values.src, resolve(values.out), rows);
  console.log(`wrote ${paths.train} and ${paths.test}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
