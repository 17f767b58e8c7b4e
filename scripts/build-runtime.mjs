// `npm run build` (after tsc): bundles src/export/runtime/predict.ts, with the rules it imports from src/data, into
// dist/export/runtime/predict.js: one dependency-free ES module that lstm-export copies into every export. It may
// import nothing but Node's own fs and path (loaded only in Node) and luxon (bundled in), so the build fails on any other import.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BANNER = `// predict.js: an exported lstm-train model's predictions from raw rows, in a web page or in Node, as
// lstm-predict --json gives them. Use: loadPredictor(folderOrUrl, tf), then predict(rows); or createPredictor(
// preprocess, run) for another runtime. Built from lstm-train's src/export/runtime/predict.ts; no dependency.`;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'src', 'export', 'runtime', 'predict.ts')],
  outfile: join(root, 'dist', 'export', 'runtime', 'predict.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['node:fs/promises', 'node:path'],
  legalComments: 'inline',
  metafile: true,
  absWorkingDir: root,
  banner: { js: BANNER },
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs);
// luxon (no dependency of its own) reads and writes times in a file's own pattern (data.timeFormat)
const outside = inputs.filter((path) => !path.startsWith('src/') && !/(^|\/)node_modules\/luxon\//.test(path));
if (outside.length > 0)
  throw new Error(`predict.js must bundle only src/ modules and luxon, found ${outside.join(', ')}`);
