// `npm run build` (after tsc): compiles src/backend/lstm-cell.wat (with the files its `;; #include name.wat` lines
// name spliced in) into dist/wasm/, once for tfjs's single-threaded wasm build (its memory unshared) and once for the
// threaded one (shared memory, which an import must declare), and writes lstm-cell.params.json: each exported
// function's parameter names in order, which the loader checks.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'backend', 'lstm-cell.wat');
const unsharedImport = '(import "env" "memory" (memory 1))';
// 65536 pages (4 GiB) is the most a wasm32 memory can have, so any threaded build's maximum fits under it.
const sharedImport = '(import "env" "memory" (memory 1 65536 shared))';

const wabt = await initWabt();
const text = readFileSync(source, 'utf8').replace(/^ *;; #include (\S+\.wat)$/gm, (_, name) =>
  readFileSync(join(dirname(source), name), 'utf8'),
);
if (!text.includes(unsharedImport)) throw new Error(`${source}: expected the line ${unsharedImport}`);
/** The names of each exported function's parameters, in order: `(func $f? (export "f") (param $a i32) …`. */
function exportedParams(wat) {
  const entries = {};
  for (const m of wat.matchAll(/\(func (?:\$\w+ )?\(export "(\w+)"\)((?:\s*\(param \$\w+ \w+\))*)/g))
    entries[m[1]] = [...m[2].matchAll(/\(param \$(\w+) \w+\)/g)].map((p) => p[1]);
  return entries;
}

const out = join(root, 'dist', 'wasm');
mkdirSync(out, { recursive: true });
for (const [name, wat] of [
  ['lstm-cell.wasm', text],
  ['lstm-cell-shared.wasm', text.replace(unsharedImport, sharedImport)],
]) {
  const module = wabt.parseWat(source, wat, { simd: true, threads: true });
  const binary = module.toBinary({ write_debug_names: true }).buffer; // names: profiles show our functions
  module.destroy();
  new WebAssembly.Module(binary); // validates it (wabt's own validate() does not know shared memory)
  writeFileSync(join(out, name), binary);
}
writeFileSync(join(out, 'lstm-cell.params.json'), JSON.stringify(exportedParams(text), null, 2) + '\n');
