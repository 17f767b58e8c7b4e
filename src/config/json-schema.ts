// The JSON Schema that zod derives, read as nodes by the docs table and by the did-you-mean of config errors.
import type { z } from 'zod';

export type JsonSchema = z.core.JSONSchema.JSONSchema;

/** A subschema as a node: JSON Schema allows `true` (anything) and `false` (nothing) in its place. */
export const schemaNode = (s: z.core.JSONSchema._JSONSchema | undefined): JsonSchema =>
  typeof s === 'object' ? s : {};

/** The properties a node declares, each as a node. */
export const propertiesOf = (n: JsonSchema): [string, JsonSchema][] =>
  Object.entries(n.properties ?? {}).map(([k, v]) => [k, schemaNode(v)]);
