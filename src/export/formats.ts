// The formats lstm-export writes (a module of its own, so the CLI can check its flags before loading tfjs).
export const FORMATS = ['tfjs', 'web', 'onnx'] as const;
export type ExportFormat = (typeof FORMATS)[number];
