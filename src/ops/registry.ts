/**
 * The op registry: every operator tinygen knows, in one explicit list. Each entry comes from its
 * own folder with its definition, reference semantics and C emission.
 */
import type { OnnxImport, OpDefinition } from './op.ts';
import { qlinearConv } from './qlinear-conv/index.ts';
import { qlinearMatMul } from './qlinear-matmul/index.ts';
import { maxPool } from './max-pool/index.ts';
import { quantizeLinear } from './quantize-linear/index.ts';
import { dequantizeLinear } from './dequantize-linear/index.ts';
import { identity } from './identity/index.ts';
import { flatten } from './flatten/index.ts';
import { reshape } from './reshape/index.ts';
import { transpose } from './transpose/index.ts';
import { convertUint8 } from './convert-uint8/index.ts';

export const OPS: readonly OpDefinition[] = [
  qlinearConv,
  qlinearMatMul,
  maxPool,
  quantizeLinear,
  dequantizeLinear,
  identity,
  flatten,
  reshape,
  transpose,
  convertUint8,
];

const byName = new Map(OPS.map((op) => [op.op, op]));

export function opDefinition(op: string): OpDefinition {
  const def = byName.get(op);
  if (!def) throw new Error(`internal: op '${op}' is not registered`);
  return def;
}

const onnxImports = new Map<string, OnnxImport>(OPS.flatMap((op) => op.onnx.map((imp) => [`${imp.domain}:${imp.opType}`, imp] as const)));

export function findOnnxImport(domain: string, opType: string): OnnxImport | undefined {
  return onnxImports.get(`${domain}:${opType}`);
}

export function supportedOnnxOps(): string[] {
  return [...onnxImports.values()].map((imp) => (imp.domain ? `${imp.domain}.${imp.opType}` : imp.opType)).sort();
}
