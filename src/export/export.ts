// lstm-export's library half: a checkpoint as files for tfjs (Node or a web page) or ONNX Runtime.
import { calibratedLevels } from '../data/interval-bounds.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { ModelCard } from '../checkpoint/model-card.js';
import { MODEL_JSON, WEIGHTS_BIN } from '../checkpoint/io-handler.js';
import type { Intervals } from '../data/types.js';
import { UsageError } from '../errors.js';
import type { ExportFormat } from './formats.js';
import { onnxModel } from '../models/onnx-graph.js';
import { cardShape, loadCardTrainingData } from '../task/dataset.js';
import { taskOf } from '../task/index.js';
import { preprocessOf, type Preprocess } from './preprocess.js';
import { plainModel } from './tfjs-model.js';
import { exampleRows, indexHtml, tfMinJs, toCsvText } from './web.js';
import { writeExport, type ExportFiles, type OutTarget } from './write-out.js';

/**
 * predict.js, copied into every export: src/export/runtime/predict.ts as `npm run build` bundles it, found from the
 * package root whether this module runs from dist or from src (the tests).
 */
export const PREDICT_JS = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'export',
  'runtime',
  'predict.js',
);

export interface ExportRequest {
  model: tf.LayersModel;
  card: ModelCard;
  format: ExportFormat;
  target: OutTarget;
  /** web: the CSV whose rows the page shows (default: the card's training data) */
  examplesFrom?: string;
  batchSize: number;
}

export interface ExportResult {
  files: string[];
  preprocess: Preprocess;
}

/**
 * A forecaster's intervals as lstm-predict gives them: the card's, else calibrated now on the training data's val
 * split (when the data is still there); the notes say which, and what a card from before the model card lacks.
 */
async function intervalsOf(r: PreprocessRequest, when: string): Promise<{ intervals?: Intervals; notes: string[] }> {
  const old =
    r.card.cardVersion === 1
      ? ['the checkpoint is from before the model card (card 1): it stores no time column, categories or intervals']
      : [];
  const task = taskOf(r.card.config.data.task);
  const stored = r.card.fitted.forecast?.intervals;
  if (stored) {
    const calibrated = calibratedLevels(stored);
    return { intervals: calibrated.intervals, notes: [...old, ...calibrated.notes] };
  }
  if (!task.usesTrainingData) return { notes: old };
  const training = await loadCardTrainingData(r.card);
  const context = task.metricsContext({
    model: r.model,
    training,
    fitted: r.card.fitted,
    batchSize: r.batchSize,
  });
  const calibrated = context.calibration ? [`intervals calibrated ${when} on ${context.calibration}`] : [];
  return { intervals: context.intervals, notes: [...old, ...calibrated, ...(context.notes ?? [])] };
}

type PreprocessRequest = Pick<ExportRequest, 'model' | 'card' | 'batchSize'>;

/** What predict.js needs besides the model, for a checkpoint: the card's transforms and intervals (see intervalsOf). */
export async function preprocessFor(r: PreprocessRequest, when = 'at export'): Promise<Preprocess> {
  return preprocessOf(r.card, await intervalsOf(r, when));
}

/** model.json + weights.bin of the plain tfjs model, as tfjs's file:// handler lays them out. */
async function tfjsFiles(model: tf.LayersModel): Promise<ExportFiles> {
  const files: ExportFiles = new Map();
  await model.save(
    tf.io.withSaveHandler((a) => {
      const weights = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
      const json = {
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs ?? [] }],
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: 'lstm-export',
      };
      files.set(MODEL_JSON, JSON.stringify(json));
      files.set(WEIGHTS_BIN, new Uint8Array(weights));
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) });
    }),
  );
  return files;
}

/** The export's files for its format, then written all at once into --out. */
export async function exportCheckpoint(r: ExportRequest): Promise<ExportResult> {
  const { card } = r;
  const preprocess = await preprocessFor(r);
  const shape = cardShape(card, preprocess.features.length);
  const { head } = taskOf(card.config.data.task);
  const json = JSON.stringify(preprocess, null, 2) + '\n';
  const predictJs = readFileSync(PREDICT_JS);
  let files: ExportFiles;
  if (r.format === 'onnx') {
    const bytes = onnxModel(r.model, card.config.model, shape, head, { preprocess: JSON.stringify(preprocess) });
    files = new Map<string, string | Uint8Array>([['model.onnx', bytes]]);
    if (r.target.kind === 'folder') files.set('preprocess.json', json).set('predict.js', predictJs);
  } else {
    const plain = plainModel(r.model, card.config.model, shape, head);
    files = await tfjsFiles(plain);
    plain.dispose();
    files.set('preprocess.json', json).set('predict.js', predictJs);
    if (r.format === 'web') webFiles(r, preprocess, files);
  }
  return { files: await writeExport(r.target, files), preprocess };
}

function webFiles(r: ExportRequest, preprocess: Preprocess, files: ExportFiles): void {
  const from = r.examplesFrom ?? r.card.config.data.path;
  if (!existsSync(from))
    throw new UsageError(
      `--data: expected a CSV to take the page's example rows from, got ${from}, which is not there`,
      'name a file with the training data’s columns: --data new.csv',
    );
  const { header, rows } = exampleRows(from, preprocess);
  files.set('index.html', indexHtml(r.card, preprocess));
  files.set('tf.min.js', tfMinJs());
  files.set('examples.json', JSON.stringify(rows, null, 1) + '\n');
  files.set('examples.csv', toCsvText(header, rows));
}
