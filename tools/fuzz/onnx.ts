/**
 * Structural mutations of an ONNX model, through onnx-proto: each decodes the model, changes one
 * thing a careless or hostile producer would, and encodes it again.
 */
import onnxProto from 'onnx-proto';
import { GraphBuilder } from '../../test/helpers/onnx-builder.ts';
import { HOSTILE_DIMS, HOSTILE_NAMES, HOSTILE_SCALES, HOSTILE_ZERO_POINTS, type Rng } from './random.ts';

const { onnx } = onnxProto;
type Model = ReturnType<typeof onnx.ModelProto.decode>;
type Graph = NonNullable<Model['graph']>;
type Tensor = NonNullable<Graph['initializer']>[number];
type ValueInfo = NonNullable<Graph['input']>[number];

const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT16: 5, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;
const ELEM_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 16, 99, -1];

function elementCount(t: Tensor): number {
  return (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
}

/** Every tensor name the graph mentions: inputs, outputs, initializers, node ends. */
function tensorNames(g: Graph): string[] {
  const names = new Set<string>();
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) names.add(v.name ?? '');
  for (const t of g.initializer ?? []) names.add(t.name ?? '');
  for (const n of g.node ?? []) for (const x of [...(n.input ?? []), ...(n.output ?? [])]) names.add(x);
  names.delete('');
  return [...names];
}

function renameTensor(g: Graph, from: string, to: string): void {
  for (const n of g.node ?? []) {
    n.input = (n.input ?? []).map((x) => (x === from ? to : x));
    n.output = (n.output ?? []).map((x) => (x === from ? to : x));
  }
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) if (v.name === from) v.name = to;
  for (const t of g.initializer ?? []) if (t.name === from) t.name = to;
}

function valueInfos(g: Graph): ValueInfo[] {
  return [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])].filter((v) => v.type?.tensorType);
}

/** Sets a one-element initializer's value, in the given data type, through its typed field. */
function setScalar(t: Tensor, dataType: number, value: number): void {
  t.dataType = dataType;
  t.rawData = new Uint8Array(0);
  t.floatData = [];
  t.int32Data = [];
  t.int64Data = [];
  t.doubleData = [];
  if (dataType === DT.FLOAT) t.floatData = [value];
  else if (dataType === DT.DOUBLE) t.doubleData = [value];
  else if (dataType === DT.INT64) t.int64Data = [value];
  else t.int32Data = [value];
}

const isZeroPointLike = (t: Tensor) => elementCount(t) <= 64 && (t.dataType === DT.INT8 || t.dataType === DT.UINT8 || t.dataType === DT.INT32) && /zero|zp|_z|const|c\d/i.test(t.name ?? '');
const isScaleLike = (t: Tensor) => elementCount(t) <= 64 && t.dataType === DT.FLOAT;

type Mutation = (g: Graph, rng: Rng) => string | undefined;

const MUTATIONS: Record<string, Mutation> = {
  dim(g, rng) {
    const infos = valueInfos(g).filter((v) => v.type!.tensorType!.shape?.dim?.length);
    if (infos.length && rng.chance(0.7)) {
      const v = rng.pick(infos);
      const dims = v.type!.tensorType!.shape!.dim!;
      const i = rng.int(dims.length);
      const d = rng.pick(HOSTILE_DIMS);
      dims[i] = rng.chance(0.1) ? { dimParam: 'N' } : { dimValue: d };
      return `dim ${i} of '${v.name}' = ${d}`;
    }
    const inits = (g.initializer ?? []).filter((t) => (t.dims ?? []).length);
    if (!inits.length) return undefined;
    const t = rng.pick(inits);
    const i = rng.int(t.dims!.length);
    const d = rng.pick(HOSTILE_DIMS);
    t.dims![i] = d;
    return `initializer '${t.name}' dim ${i} = ${d}`;
  },
  rank(g, rng) {
    const infos = valueInfos(g);
    if (!infos.length) return undefined;
    const v = rng.pick(infos);
    const shape = v.type!.tensorType!.shape ?? (v.type!.tensorType!.shape = { dim: [] });
    const dims = shape.dim ?? (shape.dim = []);
    if (rng.chance(0.5) && dims.length) dims.pop();
    else dims.push({ dimValue: rng.pick([1, 2, 3]) });
    if (rng.chance(0.2)) shape.dim = Array.from({ length: 9 }, () => ({ dimValue: 1 }));
    return `rank of '${v.name}' = ${shape.dim!.length}`;
  },
  elemType(g, rng) {
    if (rng.chance(0.5)) {
      const infos = valueInfos(g);
      if (!infos.length) return undefined;
      const v = rng.pick(infos);
      const type = rng.pick(ELEM_TYPES);
      v.type!.tensorType!.elemType = type;
      return `elem type of '${v.name}' = ${type}`;
    }
    const inits = g.initializer ?? [];
    if (!inits.length) return undefined;
    const t = rng.pick(inits);
    const type = rng.pick(ELEM_TYPES);
    t.dataType = type;
    return `data type of initializer '${t.name}' = ${type}`;
  },
  zeroPoint(g, rng) {
    const candidates = (g.initializer ?? []).filter(isZeroPointLike);
    const t = candidates.length ? rng.pick(candidates) : rng.pick(g.initializer?.length ? g.initializer : [undefined]);
    if (!t) return undefined;
    const value = rng.pick(HOSTILE_ZERO_POINTS);
    const type = rng.pick([t.dataType ?? DT.INT8, DT.INT8, DT.UINT8, DT.INT32, DT.INT16, DT.INT64, DT.FLOAT]);
    setScalar(t, type, value);
    t.dims = rng.chance(0.8) ? [] : [rng.pick([0, 2, 3])];
    return `zero point '${t.name}' = ${value} as type ${type}`;
  },
  scale(g, rng) {
    const candidates = (g.initializer ?? []).filter(isScaleLike);
    if (!candidates.length) return undefined;
    const t = rng.pick(candidates);
    const value = rng.pick(HOSTILE_SCALES);
    const n = Math.max(1, elementCount(t));
    t.rawData = new Uint8Array(Float32Array.from({ length: n }, () => value).buffer);
    t.floatData = [];
    if (rng.chance(0.1)) setScalar(t, rng.pick([DT.DOUBLE, DT.INT8, DT.FLOAT16]), value);
    return `scale '${t.name}' = ${value}`;
  },
  hostileName(g, rng) {
    const names = tensorNames(g);
    if (!names.length) return undefined;
    const from = rng.pick(names);
    const to = rng.pick(HOSTILE_NAMES);
    renameTensor(g, from, to);
    return `tensor '${from}' renamed ${JSON.stringify(to).slice(0, 40)}`;
  },
  duplicateName(g, rng) {
    const names = tensorNames(g);
    const nodes = g.node ?? [];
    if (rng.chance(0.5) && nodes.length) {
      const name = rng.chance(0.5) ? 'same' : rng.pick(HOSTILE_NAMES);
      for (const n of nodes) if (rng.chance(0.7)) n.name = name;
      return `node names = ${JSON.stringify(name).slice(0, 40)}`;
    }
    if (names.length < 2) return undefined;
    const [a, b] = [rng.pick(names), rng.pick(names)];
    renameTensor(g, a, b);
    return `tensor '${a}' renamed to existing '${b}'`;
  },
  duplicateOutput(g, rng) {
    const outputs = g.output ?? [];
    if (!outputs.length) return undefined;
    const o = rng.pick(outputs);
    g.output = [...outputs, onnx.ValueInfoProto.decode(onnx.ValueInfoProto.encode(o).finish())];
    if (rng.chance(0.3)) g.input = [...(g.input ?? []), onnx.ValueInfoProto.decode(onnx.ValueInfoProto.encode(o).finish())];
    return `output '${o.name}' listed twice`;
  },
  removeOutput(g, rng) {
    const outputs = g.output ?? [];
    if (!outputs.length || rng.chance(0.3)) {
      g.output = [];
      return 'no outputs';
    }
    const i = rng.int(outputs.length);
    g.output = outputs.filter((_, j) => j !== i);
    return `output ${i} removed`;
  },
  extraOutput(g, rng) {
    // An intermediate tensor, or a weight, or a graph input, as a graph output.
    const names = tensorNames(g);
    if (!names.length) return undefined;
    const name = rng.pick(names);
    g.output = [...(g.output ?? []), { name, type: { tensorType: { elemType: rng.pick([1, 2, 3, 6]), shape: { dim: [{ dimValue: 1 }] } } } }];
    return `'${name}' added as an output`;
  },
  removeNode(g, rng) {
    const nodes = g.node ?? [];
    if (!nodes.length) return undefined;
    const i = rng.int(nodes.length);
    g.node = nodes.filter((_, j) => j !== i);
    return `node ${i} removed`;
  },
  duplicateNode(g, rng) {
    const nodes = g.node ?? [];
    if (!nodes.length) return undefined;
    const i = rng.int(nodes.length);
    const copy = onnx.NodeProto.decode(onnx.NodeProto.encode(nodes[i]!).finish());
    if (rng.chance(0.5)) copy.output = copy.output!.map((o) => `${o}_again`);
    g.node = [...nodes.slice(0, i + 1), copy, ...nodes.slice(i + 1)];
    return `node ${i} duplicated`;
  },
  shuffleNodes(g, rng) {
    const nodes = [...(g.node ?? [])];
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
    }
    g.node = nodes;
    return 'nodes shuffled';
  },
  rewire(g, rng) {
    const nodes = (g.node ?? []).filter((n) => n.input?.length);
    if (!nodes.length) return undefined;
    const n = rng.pick(nodes);
    const i = rng.int(n.input!.length);
    const names = tensorNames(g);
    const to = rng.chance(0.8) ? rng.pick(names) : rng.pick(['', 'nowhere', n.output![0] ?? 'x']);
    n.input![i] = to;
    return `node '${n.name}' input ${i} = '${to}'`;
  },
  removeInput(g, rng) {
    const nodes = (g.node ?? []).filter((n) => n.input?.length);
    if (!nodes.length) return undefined;
    const n = rng.pick(nodes);
    if (rng.chance(0.5)) n.input = n.input!.slice(0, rng.int(n.input!.length));
    else n.input = [...n.input!, rng.pick(tensorNames(g))];
    return `node '${n.name}' has ${n.input.length} inputs`;
  },
  attribute(g, rng) {
    const nodes = (g.node ?? []).filter((n) => n.attribute?.length);
    if (!nodes.length) return undefined;
    const n = rng.pick(nodes);
    const a = rng.pick(n.attribute!);
    const v = rng.pick([0, -1, -2, 1, 2, 3, 7, 1000, 2 ** 31 - 1, 2 ** 40]);
    if (a.ints?.length) {
      const i = rng.int(a.ints.length);
      a.ints[i] = v;
      if (rng.chance(0.2)) a.ints = a.ints.slice(0, -1);
    } else if (a.type === onnx.AttributeProto.AttributeType.FLOAT) a.f = rng.pick(HOSTILE_SCALES);
    else a.i = v;
    if (rng.chance(0.1)) a.type = rng.pick([1, 2, 3, 6, 7]);
    return `node '${n.name}' attribute ${a.name} = ${v}`;
  },
  opType(g, rng) {
    const nodes = g.node ?? [];
    if (!nodes.length) return undefined;
    const n = rng.pick(nodes);
    const ops = [...new Set(nodes.map((x) => x.opType ?? ''))];
    const from = n.opType;
    if (rng.chance(0.3)) n.domain = rng.pick(['', 'com.microsoft', 'ai.onnx.ml', 'evil']);
    else n.opType = rng.pick([...ops, 'Loop', 'If', 'Relu', 'Identity', 'Reshape', 'Softmax', '']);
    return `node '${n.name}' ${from} -> ${n.domain}:${n.opType}`;
  },
  removeInitializer(g, rng) {
    const inits = g.initializer ?? [];
    if (!inits.length) return undefined;
    const i = rng.int(inits.length);
    const t = inits[i]!;
    if (rng.chance(0.5)) g.initializer = inits.filter((_, j) => j !== i);
    else t.rawData = (t.rawData ?? new Uint8Array(0)).slice(0, Math.max(0, (t.rawData?.length ?? 0) - 1 - rng.int(4)));
    return `initializer '${t.name}' removed or shortened`;
  },
  opset(_g, _rng) {
    return undefined; // handled at model level
  },
};

/** A long chain of one unary quantized op: the node-count limit and every algorithm's depth. */
export function chainModel(rng: Rng): { bytes: Uint8Array; what: string } {
  const length = rng.pick([2, 50, 500, 2000, 5000, 9_999, 10_000, 10_001, 30_000]);
  const g = new GraphBuilder();
  let x = g.input('x', 'int8', [1, 8]);
  const [scale, zero] = [g.scalar(0.1), g.scalar(0, 'int8')];
  for (let i = 0; i < length; i++) x = g.node('QLinearLeakyRelu', [x, scale, zero, scale, zero], { alpha: { float: 0.1 } }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(x, 'y'), 'int8', [1, 8]);
  return { bytes: g.encode(), what: `chain of ${length} nodes` };
}

/** One to three structural mutations of an ONNX model; undefined when none applied. */
export function mutateOnnxStructure(input: Uint8Array, rng: Rng): { bytes: Uint8Array; what: string } | undefined {
  const model = onnx.ModelProto.decode(input);
  const g = model.graph;
  if (!g) return undefined;
  const done: string[] = [];
  const count = 1 + (rng.chance(0.3) ? rng.int(3) : 0);
  const kinds = Object.keys(MUTATIONS);
  for (let attempt = 0; attempt < 8 && done.length < count; attempt++) {
    const kind = rng.pick(kinds);
    if (kind === 'opset') {
      model.opsetImport = [{ domain: '', version: rng.pick([1, 7, 10, 13, 21, 99, -1]) }];
      done.push(`opset ${model.opsetImport[0]!.version}`);
      continue;
    }
    const what = MUTATIONS[kind]!(g, rng);
    if (what) done.push(what);
  }
  if (!done.length) return undefined;
  return { bytes: onnx.ModelProto.encode(model).finish(), what: done.join('; ') };
}
