// One ingest measurement in a fresh process: a CSV to a ready forecast dataset (what `lstm-train --dry-run` does
// before the model), its wall time, the loader's own phases (read, build), the time to cut one epoch of training
// batches, and peak RSS. Prints one JSON line.
import { loadDataset } from '../src/data/load.js';
import { dataSchema } from '../src/config/schema.js';

const [path, dataJson, parseOnly] = process.argv.slice(2);
const started = performance.now();
const timings: Record<string, number> = {};
if (parseOnly === 'parse-only') {
  // csv-parse alone, with the options the loader uses: what no loader built on it can beat
  const { createReadStream } = await import('node:fs');
  const { parse } = await import('csv-parse');
  let records = 0;
  const parser = createReadStream(path).pipe(parse({ relax_column_count: true, skip_empty_lines: true, bom: true }));
  for await (const _ of parser) records++;
  timings.records = records;
} else {
  const cfg = dataSchema.parse({ ...JSON.parse(dataJson), path });
  const ds = await loadDataset(cfg, { baseDir: '/', seed: 1, timings });
  timings.windows = ds.splits.train.size + ds.splits.val.size + ds.splits.test.size;
  // one epoch's worth of training batches, cut from the series as the loop cuts them
  const cut = performance.now();
  const train = ds.splits.train;
  for (let start = 0; start < train.size; start += 256)
    train.batch(Array.from({ length: Math.min(256, train.size - start) }, (_, k) => start + k));
  timings.epochOfBatches = (performance.now() - cut) / 1000;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  JSON.stringify({ seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), timings }) + '\n',
);
