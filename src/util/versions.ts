// Versions recorded in checkpoints and summaries, so a result can be traced to the code that made it.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;

export function versions(): Record<string, string> {
  return { 'lstm-train': pkg.version, node: process.versions.node, ...(tf.version as Record<string, string>) };
}
