// What lstm-serve serves: a checkpoint, or a folder (or .onnx file) of lstm-export, as predict.js's preprocess and
// a model runner (tfjs, or ONNX Runtime). Both sources reach the same predict.js, so a checkpoint served answers
// what its export would.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../backend/select.js';
import { META_JSON } from '../checkpoint/checkpoint.js';
import { loadModelCheckpoint, readCard } from '../checkpoint/model-checkpoint.js';
import type { ModelConfig, WasmThreads } from '../config/schema.js';
import { CheckpointError, UsageError } from '../errors.js';
import { preprocessFor } from '../export/export.js';
import type { Preprocess } from '../export/preprocess.js';
import { loadExport, preprocessProblem, tfjsRunner, type Run } from '../export/runtime/predict.js';
import { plainModel } from '../export/tfjs-model.js';
import { onnxModel } from '../models/onnx-graph.js';
import { decodeModel } from '../models/onnx-proto.js';
import { loadOnnxRuntime, onnxRunner, type Runtime } from '../predict/runtime.js';
import { cardShape } from '../task/dataset.js';
import { taskOf } from '../task/index.js';

export interface ServedModel {
  preprocess: Preprocess;
  run: Run;
  runtime: Runtime;
  /** a tfjs backend, when tfjs runs the model or read the checkpoint */
  backend?: BackendChoice;
  source: { kind: 'checkpoint' | 'export'; path: string };
  /** the checkpoint's model config (an export does not keep it) */
  model?: ModelConfig;
  dispose(): Promise<void>;
}

export interface SourceOptions {
  runtime: Runtime;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  threads?: WasmThreads;
  stockKernels?: boolean;
  /** examples per pass when the card's intervals must be calibrated (a card without them) */
  batchSize: number;
}

const expected =
  'a checkpoint directory (runs/<run>/checkpoints/best), a folder of lstm-export, or a .onnx file of lstm-export';

/** Opens `path` for serving; what it is, is read off its files. */
export async function openServed(path: string, o: SourceOptions): Promise<ServedModel> {
  const at = resolve(path);
  const file = existsSync(at) && !statSync(at).isDirectory();
  if (file && extname(at).toLowerCase() === '.onnx') return openOnnxFile(at, o);
  if (!file && existsSync(join(at, 'preprocess.json'))) return openExportFolder(at, o);
  // anything else is read as a checkpoint: readCard recovers one that lstm-train was swapping in, or says what it is
  try {
    return await openCheckpointServed(at, o);
  } catch (e) {
    if (e instanceof CheckpointError && !existsSync(join(at, META_JSON)))
      throw new UsageError(`<model>: expected ${expected}, got ${path}: ${e.message.replace(`${at}: `, '')}`);
    throw e;
  }
}

const backendOf = (o: SourceOptions, model?: ModelConfig) =>
  selectBackend(o.backend ?? 'auto', o.stockKernels ? 'stock' : 'fixed', o.threads ?? 'auto', model);

async function openCheckpointServed(dir: string, o: SourceOptions): Promise<ServedModel> {
  const card = await readCard(dir);
  const backend = await backendOf(o, card.config.model);
  const { model } = await loadModelCheckpoint(dir, card);
  const preprocess = await preprocessFor({ model, card, batchSize: o.batchSize }, 'at start');
  const shape = cardShape(card, preprocess.features.length);
  const { head } = taskOf(card.config.data.task);
  const common = { preprocess, backend, source: { kind: 'checkpoint' as const, path: dir }, model: card.config.model };
  if (o.runtime === 'onnx') {
    const bytes = onnxModel(model, card.config.model, shape, head, {});
    model.dispose();
    return { ...common, ...(await onnxServed(bytes)) };
  }
  // the export's plain tfjs model: what predict.js runs in an export, and a classifier's softmax in the graph
  const plain = plainModel(model, card.config.model, shape, head);
  model.dispose();
  return { ...common, ...tfjsServed(plain) };
}

async function openExportFolder(dir: string, o: SourceOptions): Promise<ServedModel> {
  const source = { kind: 'export' as const, path: dir };
  if (o.runtime === 'onnx') {
    const file = join(dir, 'model.onnx');
    if (!existsSync(file))
      throw new UsageError(
        `--runtime onnx: expected model.onnx in ${dir}, found none (an export of --format tfjs or web)`,
        'serve it with --runtime tfjs, or export with --format onnx',
      );
    const preprocess = readPreprocess(join(dir, 'preprocess.json'));
    return { preprocess, source, ...(await onnxServed(readFileSync(file))) };
  }
  if (!existsSync(join(dir, 'model.json')))
    throw new UsageError(
      `--runtime tfjs: expected model.json in ${dir}, found none (an export of --format onnx)`,
      'serve it with --runtime onnx',
    );
  const preprocess = readPreprocess(join(dir, 'preprocess.json'));
  const backend = await backendOf(o);
  let model: tf.LayersModel;
  try {
    ({ model } = await loadExport(dir, tf));
  } catch (e) {
    throw new UsageError(`${dir}: expected the tfjs model of lstm-export, found ${(e as Error).message}`);
  }
  return { preprocess, backend, source, ...tfjsServed(model) };
}

async function openOnnxFile(file: string, o: SourceOptions): Promise<ServedModel> {
  if (o.runtime !== 'onnx')
    throw new UsageError(
      `--runtime tfjs: expected a folder with model.json, got ${file}, an ONNX model`,
      '--runtime onnx',
    );
  const bytes = readFileSync(file);
  const props = (decodeModel(bytes).metadataProps ?? []) as { key: string; value: string }[];
  const stored = props.find((p) => p.key === 'preprocess')?.value;
  if (stored === undefined)
    throw new UsageError(`<model>: expected an ONNX model of lstm-export (with its preprocess metadata), got ${file}`);
  const preprocess = parsedPreprocess(stored, `${file} (metadata "preprocess")`);
  return { preprocess, source: { kind: 'export', path: file }, ...(await onnxServed(bytes)) };
}

const readPreprocess = (path: string) => parsedPreprocess(readFileSync(path, 'utf8'), path);

function parsedPreprocess(text: string, where: string): Preprocess {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: expected the JSON of lstm-export, found ${(e as Error).message}`);
  }
  return checked(parsed as Preprocess, where);
}

function checked(p: Preprocess, where: string): Preprocess {
  const problem = preprocessProblem(p);
  if (problem !== undefined) throw new UsageError(`${where}: ${problem}`);
  return p;
}

function tfjsServed(model: tf.LayersModel): Pick<ServedModel, 'run' | 'runtime' | 'dispose'> {
  return { run: tfjsRunner(tf, model), runtime: 'tfjs', dispose: () => (model.dispose(), Promise.resolve()) };
}

async function onnxServed(bytes: Uint8Array): Promise<Pick<ServedModel, 'run' | 'runtime' | 'dispose'>> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(bytes);
  return { run: onnxRunner(ort, session), runtime: 'onnx', dispose: async () => void (await session.release()) };
}
