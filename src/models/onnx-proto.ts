// ONNX's ModelProto through protobufjs and the official schema (src/models/onnx.proto), loaded once at run time.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** src/models/onnx.proto from the package root: this file runs as src/models/*.ts (tsx) or dist/models/*.js. */
export const ONNX_PROTO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'models', 'onnx.proto');

/** TensorProto.DataType and AttributeProto.AttributeType values used here (onnx.proto). */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** The IR version of the vendored onnx.proto (ONNX 1.12), and the opset the graphs use (Softmax on one axis: ≥ 13). */
export const IR_VERSION = 8;
export const OPSET = 14;

let root: protobuf.Root | undefined;
const modelType = () => (root ??= protobuf.loadSync(ONNX_PROTO)).lookupType('onnx.ModelProto');

/** A plain object in protobufjs's camelCase field names (irVersion, opsetImport, …), checked against the schema. */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const type = modelType();
  const problem = type.verify(model);
  if (problem) throw new Error(`encodeModel: not an onnx.ModelProto: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** The bytes of a .onnx file as a plain object (bytes as Uint8Array, int64 as numbers): for tests and tools. */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false });
}

export interface Attribute {
  name: string;
  type: number;
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
}

export const intAttr = (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i });
export const intsAttr = (name: string, ints: number[]): Attribute => ({ name, type: AttributeType.INTS, ints });
export const stringAttr = (name: string, s: string): Attribute => ({
  name,
  type: AttributeType.STRING,
  s: new TextEncoder().encode(s),
});

/** An initializer: float32 or int64 values, little-endian in raw_data. */
export function tensor(name: string, dims: number[], values: Float32Array | BigInt64Array) {
  const floats = values instanceof Float32Array;
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  return { name, dims, dataType: floats ? DataType.FLOAT : DataType.INT64, rawData: bytes };
}

/** A graph input or output: a float tensor whose dims are numbers or named (dynamic) ones. */
export function valueInfo(name: string, dims: (number | string)[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}
