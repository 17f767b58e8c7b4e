// Checks that src/'s imports run one way, from the CLI down to util, and form no cycle. Run: npm run check:imports
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * The rooms of src/ by level: a file may import its own room and any room on a lower level, nothing above or beside
 * it. Commands (train, eval, compare, …) share what they need through the task modules below them.
 */
export const LEVELS: Record<string, number> = {
  cli: 7,
  compare: 6,
  tune: 6,
  backtest: 6,
  serve: 6,
  train: 5,
  eval: 5,
  predict: 5,
  export: 5,
  report: 5,
  task: 4,
  checkpoint: 3,
  backend: 3,
  models: 2,
  data: 2,
  charts: 2,
  config: 1,
  util: 0,
  'errors.ts': 0,
};

/** file → the files it imports, both as paths relative to src/ with '/' separators ('data/csv.ts'). */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import and re-export (type-only ones too) of every .ts file under `srcDir`. */
export function readGraph(srcDir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(srcDir)) {
    const from = relative(srcDir, file).split('\\').join('/');
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts'));
    graph.set(from, targets);
  }
  return graph;
}

/** A file's room: its first folder under src/, or the file itself at the top ('errors.ts'). */
export const roomOf = (file: string) => file.split('/')[0];

/** Imports that go up or sideways between rooms, files in rooms without a level, and every import cycle. */
export function checkGraph(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const room = roomOf(from);
    if (LEVELS[room] === undefined) problems.push(`${from}: room "${room}" has no level in LEVELS`);
    for (const to of targets) {
      const other = roomOf(to);
      if (other === room || LEVELS[room] === undefined || LEVELS[other] === undefined) continue;
      if (LEVELS[other] > LEVELS[room]) problems.push(`${from} imports ${to}: up from ${room} to ${other}`);
      else if (LEVELS[other] === LEVELS[room])
        problems.push(`${from} imports ${to}: sideways from ${room} to ${other}`);
    }
  }
  for (const component of cycles(graph)) problems.push(`import cycle: ${shortestCycle(graph, component).join(' → ')}`);
  return problems;
}

/** The strongly connected components with more than one file (or a file importing itself), by Tarjan's algorithm. */
function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.reverse());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** A shortest cycle through the component's first file (breadth first, within the component), closed. */
function shortestCycle(graph: ImportGraph, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, start];
}

function main(): void {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const graph = readGraph(src);
  const problems = checkGraph(graph);
  if (problems.length === 0) {
    const edges = [...graph.values()].reduce((a, t) => a + t.length, 0);
    process.stdout.write(`imports: ${graph.size} files, ${edges} imports, all one way, no cycles\n`);
    return;
  }
  process.stderr.write(`imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
