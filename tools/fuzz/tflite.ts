/**
 * Structural mutations of a TFLite model described as the tests' ModelSpec
 * (test/helpers/tflite-builder.ts): shapes, types, quantization, names, wiring, operators, graph
 * inputs and outputs; the flatbuffer is then written by the same Builder the tests use.
 */
import { buildTflite, type ModelSpec, type TensorSpec } from '../../test/helpers/tflite-builder.ts';
import { BuiltinOperator } from '../../src/frontend/tflite/schema.ts';
import { HOSTILE_DIMS, HOSTILE_NAMES, HOSTILE_SCALES, HOSTILE_ZERO_POINTS, type Rng } from './random.ts';

const TYPES = [0, 1, 2, 3, 4, 6, 7, 9, 10, 17, 19, 42];
const CODES = Object.values(BuiltinOperator) as number[];
// Wider than any int32 the builder can write, kept in range for the int32 fields.
const int32 = (v: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));

function cloneSpec(spec: ModelSpec): ModelSpec {
  return {
    tensors: spec.tensors.map((t) => ({ ...t, shape: [...t.shape], scale: t.scale && [...t.scale], zeroPoint: t.zeroPoint && [...t.zeroPoint] })),
    operators: spec.operators.map((op) => ({ ...op, inputs: [...op.inputs], outputs: [...op.outputs] })),
    inputs: [...spec.inputs],
    outputs: [...spec.outputs],
  };
}

type Mutation = (s: ModelSpec, rng: Rng) => string | undefined;
const tensorOf = (s: ModelSpec, rng: Rng): [TensorSpec, number] => {
  const i = rng.int(s.tensors.length);
  return [s.tensors[i]!, i];
};

const MUTATIONS: Record<string, Mutation> = {
  dim(s, rng) {
    const [t, i] = tensorOf(s, rng);
    const d = int32(rng.pick(HOSTILE_DIMS));
    if (!t.shape.length) t.shape.push(d);
    else t.shape[rng.int(t.shape.length)] = d;
    return `tensor ${i} shape [${t.shape}]`;
  },
  rank(s, rng) {
    const [t, i] = tensorOf(s, rng);
    if (rng.chance(0.5) && t.shape.length) t.shape.pop();
    else t.shape.unshift(1);
    if (rng.chance(0.1)) t.shape = Array(9).fill(1);
    return `tensor ${i} rank ${t.shape.length}`;
  },
  type(s, rng) {
    const [t, i] = tensorOf(s, rng);
    t.type = rng.pick(TYPES);
    return `tensor ${i} type ${t.type}`;
  },
  scale(s, rng) {
    const quantized = s.tensors.filter((t) => t.scale?.length);
    if (!quantized.length) return undefined;
    const t = rng.pick(quantized);
    const v = rng.pick(HOSTILE_SCALES);
    if (rng.chance(0.2)) t.scale = rng.chance(0.5) ? [] : [...t.scale!, v];
    else t.scale![rng.int(t.scale!.length)] = v;
    return `tensor '${t.name}' scale ${v}`;
  },
  zeroPoint(s, rng) {
    const quantized = s.tensors.filter((t) => t.scale?.length);
    if (!quantized.length) return undefined;
    const t = rng.pick(quantized);
    const v = rng.pick(HOSTILE_ZERO_POINTS);
    t.zeroPoint = t.scale!.map((_, i) => (i === 0 || rng.chance(0.5) ? v : 0));
    if (rng.chance(0.2)) t.zeroPoint.push(v);
    return `tensor '${t.name}' zero point ${v}`;
  },
  quantizedDimension(s, rng) {
    const [t, i] = tensorOf(s, rng);
    if (!t.scale) t.scale = [rng.pick(HOSTILE_SCALES)];
    t.quantizedDimension = rng.pick([-1, 0, 1, 3, 4, 100]);
    return `tensor ${i} quantized dimension ${t.quantizedDimension}`;
  },
  dropQuantization(s, rng) {
    const [t, i] = tensorOf(s, rng);
    delete t.scale;
    delete t.zeroPoint;
    return `tensor ${i} unquantized`;
  },
  data(s, rng) {
    const constants = s.tensors.filter((t) => t.data);
    if (!constants.length) return undefined;
    const t = rng.pick(constants);
    const n = t.data!.length;
    const length = rng.pick([0, 1, Math.max(0, n - 1), n + 1, n * 2]);
    const bytes = new Int8Array(length);
    bytes.set(new Int8Array(t.data!.buffer, t.data!.byteOffset, Math.min(length, t.data!.byteLength)));
    t.data = bytes;
    return `tensor '${t.name}' data ${t.data.byteLength} bytes`;
  },
  name(s, rng) {
    const [t, i] = tensorOf(s, rng);
    t.name = rng.chance(0.5) ? rng.pick(HOSTILE_NAMES) : s.tensors[rng.int(s.tensors.length)]!.name;
    return `tensor ${i} named ${JSON.stringify(t.name).slice(0, 40)}`;
  },
  rewire(s, rng) {
    if (!s.operators.length) return undefined;
    const op = rng.pick(s.operators);
    const ends = rng.chance(0.7) ? op.inputs : op.outputs;
    if (!ends.length) return undefined;
    const i = rng.int(ends.length);
    ends[i] = rng.chance(0.8) ? rng.int(s.tensors.length) : rng.pick([-1, -2, s.tensors.length, 2 ** 31 - 1]);
    return `operator end ${i} = tensor ${ends[i]}`;
  },
  arity(s, rng) {
    if (!s.operators.length) return undefined;
    const op = rng.pick(s.operators);
    if (rng.chance(0.5)) op.inputs = op.inputs.slice(0, rng.int(op.inputs.length + 1));
    else op.outputs = rng.chance(0.5) ? [] : [...op.outputs, rng.int(s.tensors.length)];
    return `operator with ${op.inputs.length} inputs, ${op.outputs.length} outputs`;
  },
  removeOperator(s, rng) {
    if (!s.operators.length) return undefined;
    const i = rng.int(s.operators.length);
    s.operators.splice(i, 1);
    return `operator ${i} removed`;
  },
  duplicateOperator(s, rng) {
    if (!s.operators.length) return undefined;
    const i = rng.int(s.operators.length);
    const op = s.operators[i]!;
    s.operators.splice(i + 1, 0, { ...op, inputs: [...op.inputs], outputs: [...op.outputs] });
    return `operator ${i} duplicated`;
  },
  reverseOperators(s) {
    s.operators.reverse();
    return 'operators reversed';
  },
  opcode(s, rng) {
    if (!s.operators.length) return undefined;
    const op = rng.pick(s.operators);
    if (rng.chance(0.7)) op.code = rng.pick(CODES);
    else op.version = rng.pick([0, 2, 3, 7, 99]);
    return `operator code ${op.code} v${op.version ?? 1}`;
  },
  options(s, rng) {
    const withOptions = s.operators.filter((op) => op.options?.fields.length);
    if (!withOptions.length) return undefined;
    const op = rng.pick(withOptions);
    const f = rng.pick(op.options!.fields);
    f.value = f.field.type === 'float32' ? rng.pick(HOSTILE_SCALES) : rng.pick([0, -1, 1, 2, 3, 5, 127, 1000, 2 ** 31 - 1]);
    if (f.field.type === 'int8' || f.field.type === 'uint8' || f.field.type === 'bool') f.value = ((f.value % 256) + 256) % 256 - 128;
    return `option ${f.field.id} = ${f.value}`;
  },
  graphEnds(s, rng) {
    switch (rng.int(5)) {
      case 0:
        s.outputs = [];
        return 'no outputs';
      case 1:
        s.outputs.push(s.outputs[0] ?? 0);
        return 'an output listed twice';
      case 2:
        s.outputs.push(rng.int(s.tensors.length));
        return 'an extra output';
      case 3:
        s.inputs = rng.chance(0.5) ? [] : [...s.inputs, rng.int(s.tensors.length)];
        return `inputs [${s.inputs}]`;
      default:
        s.outputs = [...s.inputs];
        return 'outputs are the inputs';
    }
  },
};

/** One to three structural mutations of a spec, written as a .tflite; undefined when none applied. */
export function mutateTfliteSpec(spec: ModelSpec, rng: Rng): { bytes: Uint8Array; what: string } | undefined {
  const s = cloneSpec(spec);
  const done: string[] = [];
  const count = 1 + (rng.chance(0.3) ? rng.int(3) : 0);
  const kinds = Object.keys(MUTATIONS);
  for (let attempt = 0; attempt < 8 && done.length < count; attempt++) {
    const what = MUTATIONS[rng.pick(kinds)]!(s, rng);
    if (what) done.push(what);
  }
  if (!done.length) return undefined;
  try {
    return { bytes: buildTflite(s), what: done.join('; ') };
  } catch {
    return undefined; // a value the builder cannot write (a NaN zero point, say)
  }
}
