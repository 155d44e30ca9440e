/**
 * Code generation: renders <name>.c and <name>.h from templates/, following the
 * lowered graph and its memory plan. Output is deterministic for a given model and options.
 */
import { architectureHash, weightsBlob, WeightsPayload, WEIGHTS_HEADER_BYTES, WEIGHTS_RESULTS, type WeightsPlacement } from './weights-blob.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { tensorBytes, tensorOf } from '../ir/graph.ts';
import { CTYPE_BYTES, type ConstValues, type CType, type EmitContext, type IoPlacement, type SpecialisedArgument, type SpecialisedKernel } from '../ops/op.ts';
import { opDefinition } from '../ops/registry.ts';
import type { Lowered } from '../passes/index.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import { TOOL_VERSION } from '../version.ts';
import { renderTemplate } from './render.ts';
import { apiInputs, apiOutputs, ARENA_ALIGNMENT, ctypeOf, runSignature, type ApiTensor, type ArenaPlacement } from './api.ts';
import { cArrayBody, cCommentText, cFloat, cIdentifier, cInt, cInt64, NonFiniteConstantError } from './c-literals.ts';
import { UserError } from '../errors.ts';

export interface GenerateOptions {
  /** C prefix for every public symbol. */
  name: string;
  sha256: string;
  /** The model file name, for the stamp. */
  source: string;
  rounding: RoundingMode;
  /** Where inputs and outputs live; 'caller' when not given. */
  io?: IoPlacement;
  /** Where the arena lives; 'static' when not given. */
  arena?: ArenaPlacement;
  /** Where the constants live; 'embedded' (const arrays in the .c) when not given. */
  weights?: WeightsPlacement;
}

/** The generated model's C source and header are named after the model, and nothing else. */
export const modelSourceFile = (name: string): string => `${name}.c`;
export const modelHeaderFile = (name: string): string => `${name}.h`;

export interface GeneratedModel {
  /** File name → contents. */
  files: Map<string, string>;
  /** 'caller': <name>_run takes the buffers; 'arena': <name>_input(i) and <name>_output(i) point into the arena. */
  io: IoPlacement;
  /** 'external': every function takes the arena as its first argument. */
  arena: ArenaPlacement;
  /** With --weights blob: the blob file (<name>.weights.bin), header and payload. */
  weightsBlob?: Uint8Array;
  inputs: ApiTensor[];
  outputs: ApiTensor[];
  arenaBytes: number;
  /** Bytes of constant data (weights, biases, requantization tables). */
  constantBytes: number;
  /** Per node, in schedule order: its bytes of constant data, and whether it runs code (views do not). */
  layers: { node: string; constantBytes: number; runs: boolean }[];
  /**
   * What a -DTINYGEN_TRACE build reports, in order: after each step that runs code, each of its
   * outputs (the tensor and its bytes), as the harness writes them to the trace file.
   */
  traced: { step: number; tensor: string; bytes: number }[];
}


class Emitter implements EmitContext {
  readonly declarations: string[] = [];
  constantBytes = 0;
  /** Constant bytes of the node being emitted. */
  nodeConstantBytes = 0;
  private prefix = '';
  /** The step being emitted: the plan names nodes by step, as names need not be unique. */
  private step = -1;
  private readonly used = new Set<string>();

  /** Names whose value is only known at run time (they point into the weights blob). */
  private readonly runtimeSymbols = new Set<string>();

  constructor(
    private readonly lowered: Lowered,
    private readonly name: string,
    private readonly api: Map<string, ApiTensor>,
    /** With --weights blob, where the constants go instead of const arrays. */
    readonly payload?: WeightsPayload,
  ) {}

  beginNode(index: number): void {
    this.prefix = `${this.name}_l${index}`;
    this.step = index;
    this.nodeConstantBytes = 0;
  }

  private fresh(suffix: string): string {
    let symbol = `${this.prefix}_${suffix}`;
    for (let i = 2; this.used.has(symbol); i++) symbol = `${this.prefix}_${suffix}${i}`;
    this.used.add(symbol);
    return symbol;
  }

  pointer(tensor: string): string {
    const storage = this.lowered.plan.storage.get(tensor);
    if (!storage) {
      // A constant read where an activation is expected (a weight's DequantizeLinear whose output
      // is needed at run time, say): it gets a const array of its own, once.
      const data = tensorOf(this.lowered.graph, tensor).data;
      if (data) return this.constantPointer(tensor, data);
      throw new Error(`internal: tensor '${tensor}' has no storage`);
    }
    const ctype = ctypeOf(tensorOf(this.lowered.graph, tensor));
    if (storage.kind === 'arena') return `((${ctype} *)&${this.name}_arena[${storage.offset}])`;
    const list = storage.kind === 'input' ? this.lowered.graph.inputs : this.lowered.graph.outputs;
    const api = this.api.get(list[storage.index]!)!;
    return api.ctype === ctype ? api.param : `((${storage.kind === 'input' ? 'const ' : ''}${ctype} *)${api.param})`;
  }

  private readonly constantArrays = new Map<string, string>();

  private constantPointer(tensor: string, data: ConstValues): string {
    let symbol = this.constantArrays.get(tensor);
    if (!symbol) {
      symbol = this.constArray('constant', ctypeOf(tensorOf(this.lowered.graph, tensor)), data);
      this.constantArrays.set(tensor, symbol);
    }
    return symbol;
  }

  constArray(suffix: string, ctype: CType, values: ConstValues): string {
    const symbol = this.fresh(suffix);
    if (this.payload) {
      const offset = this.payload.add(ctype, values);
      this.declarations.push(`#define ${symbol} ((const ${ctype} *)(${this.name}_weights + ${offset})) /* [${values.length}] */`);
      this.runtimeSymbols.add(symbol);
    } else {
      const body = values instanceof BigInt64Array ? cArrayBody(Array.from(values), cInt64) : cArrayBody(values, ctype === 'float' ? cFloat : cInt);
      this.declarations.push(`static const ${ctype} ${symbol}[${values.length}] TG_WEIGHTS_SECTION = {\n${body}\n};`);
    }
    this.constantBytes += values.length * CTYPE_BYTES[ctype];
    this.nodeConstantBytes += values.length * CTYPE_BYTES[ctype];
    return symbol;
  }

  constStruct(suffix: string, ctype: string, initializer: string): string {
    const symbol = this.fresh(suffix);
    if ((initializer.match(/[A-Za-z_]\w*/g) ?? []).some((word) => this.runtimeSymbols.has(word))) {
      // It points into the weights blob, known only at run time: a const compound literal built
      // where it is used, its other fields still constants the compiler folds into the kernel.
      this.declarations.push(`#define ${symbol} ((const ${ctype})${initializer.replace(/\s*\n\s*/g, ' ')})`);
      this.runtimeSymbols.add(symbol);
    } else {
      this.declarations.push(`static const ${ctype} ${symbol} = ${initializer};`);
    }
    return symbol;
  }

  /** Headers of kernel bodies instantiated in the model, in first-use order. */
  readonly includes: string[] = [];

  specialised(kernel: SpecialisedKernel, params: string, args: readonly SpecialisedArgument[]): string {
    if (!this.includes.includes(kernel.header)) this.includes.push(kernel.header);
    const symbol = this.fresh('kernel');
    this.declarations.push(
      [
        `/* ${kernel.library}, built here for this layer alone: its shape and constants fold into the code. */`,
        `static __attribute__((noinline)) void ${symbol}(${args.map((a) => a.declaration).join(', ')})`,
        '{',
        `    ${kernel.body}(${[`&${params}`, ...args.map((a) => a.name), ...(kernel.mode ? [kernel.mode] : [])].join(', ')});`,
        '}',
      ].join('\n'),
    );
    return `${symbol}(${args.map((a) => a.value).join(', ')});`;
  }

  helper(suffix: string, parameters: string, body: readonly string[]): string {
    const symbol = this.fresh(suffix);
    this.declarations.push([`static void ${symbol}(${parameters})`, '{', ...body.map((line) => `    ${line}`), '}'].join('\n'));
    return symbol;
  }

  private stepOf(node: Node): number {
    if (this.lowered.graph.nodes[this.step] !== node) throw new Error(`internal: node '${node.name}' is not the one being emitted`);
    return this.step;
  }

  aliased(node: Node): boolean {
    return this.lowered.plan.aliasedSteps.has(this.stepOf(node));
  }

  inPlace(node: Node): boolean {
    return this.lowered.plan.inPlaceSteps.has(this.stepOf(node));
  }

  scratch(node: Node): string {
    const offset = this.lowered.plan.scratchOffsets.get(this.stepOf(node));
    if (offset === undefined) throw new Error(`internal: node '${node.name}' has no scratch space`);
    return `((int8_t *)&${this.name}_arena[${offset}])`;
  }
}

function describeNode(node: Node, graph: Graph): string {
  const shapes = (names: string[]) => names.filter((n) => n !== '' && !graph.tensors.get(n)?.data).map((n) => `[${tensorOf(graph, n).shape.join('x')}]`);
  return cCommentText(`${node.op} '${node.name}': ${shapes(node.inputs).join(', ')} -> ${shapes(node.outputs).join(', ')}`);
}

export function generateModel(lowered: Lowered, options: GenerateOptions): GeneratedModel {
  const name = cIdentifier(options.name);
  const { graph, plan } = lowered;
  const inputs = apiInputs(graph);
  const outputs = apiOutputs(graph);
  const api = new Map([...inputs, ...outputs].map((a) => [a.tensor, a]));
  const payload = options.weights === 'blob' ? new WeightsPayload() : undefined;
  const emitter = new Emitter(lowered, name, api, payload);
  const steps: { index: number; comment: string; code: string; traces: { pointer: string; bytes: number }[] }[] = [];
  const layers: GeneratedModel['layers'] = [];
  const traced: GeneratedModel['traced'] = [];
  graph.nodes.forEach((node, index) => {
    emitter.beginNode(index);
    let code: string;
    try {
      code = opDefinition(node.op).emit(node, graph, emitter);
    } catch (error) {
      if (error instanceof NonFiniteConstantError) {
        throw new UserError(`node '${node.name}' (${node.op}): ${error.message}: its output scale is too small for its input scales (the ratio overflows float32)`);
      }
      throw error;
    }
    // Traced right after the step, before any later step can reuse the storage.
    const outputs = code === '' ? [] : node.outputs.filter((t) => t !== '' && plan.storage.has(t)).map((tensor) => ({ tensor, bytes: tensorBytes(tensorOf(graph, tensor)) }));
    const traces = outputs.map(({ tensor, bytes }) => ({ pointer: emitter.pointer(tensor), bytes }));
    for (const o of outputs) traced.push({ step: index, ...o });
    steps.push({ index, comment: describeNode(node, graph) + (code === '' ? ' (shares its input\'s storage)' : ''), code, traces });
    layers.push({ node: node.name, constantBytes: emitter.nodeConstantBytes, runs: code !== '' });
  });
  const io = options.io ?? 'caller';
  const arena = options.arena ?? 'static';
  const signature = runSignature(inputs, outputs, io, arena);
  const arenaOffset = (tensor: string) => {
    const where = plan.storage.get(tensor);
    if (where?.kind !== 'arena') throw new Error(`internal: API tensor '${tensor}' is not in the arena`);
    return where.offset;
  };
  const apiView = (t: ApiTensor) => ({
    ...t,
    tensor: cCommentText(t.tensor),
    macro: t.param.toUpperCase(),
    shapeList: t.shape.join(', '),
    scaleLiteral: t.scale !== undefined ? cFloat(t.scale) : undefined,
    ...(io === 'arena' ? { arenaOffset: arenaOffset(t.tensor) } : {}),
  });
  const view = {
    version: TOOL_VERSION,
    sha256: options.sha256,
    source: cCommentText(options.source),
    rounding: options.rounding,
    name,
    upper: name.toUpperCase(),
    arenaBytes: plan.arenaBytes,
    hasArena: plan.arenaBytes > 0,
    externalArena: arena === 'external',
    arenaAlignment: ARENA_ALIGNMENT,
    constantBytes: emitter.constantBytes,
    declarations: emitter.declarations,
    includes: emitter.includes,
    steps,
    signature,
    ioInArena: io === 'arena',
    inputs: inputs.map(apiView),
    outputs: outputs.map(apiView),
    weightsBlob: payload ? { payloadBytes: payload.bytes, blobBytes: WEIGHTS_HEADER_BYTES + payload.bytes, architecture: '', results: WEIGHTS_RESULTS } : undefined,
  };
  let weightsBlobFile: Uint8Array | undefined;
  if (payload && view.weightsBlob) {
    // The architecture is the code without the model file's stamp (and with no hash in it yet).
    const unstamped = renderTemplate('model.c.hbs', { ...view, version: '', sha256: '', source: '', weightsBlob: { ...view.weightsBlob, architecture: cArrayBody(new Uint8Array(32), cInt) } });
    const architecture = architectureHash(unstamped);
    view.weightsBlob.architecture = cArrayBody(architecture, cInt);
    weightsBlobFile = weightsBlob(payload.toBytes(), architecture);
  }
  const files = new Map<string, string>([
    [modelHeaderFile(name), renderTemplate('model.h.hbs', view)],
    [modelSourceFile(name), renderTemplate('model.c.hbs', view)],
  ]);
  return {
    files,
    io,
    arena,
    ...(weightsBlobFile ? { weightsBlob: weightsBlobFile } : {}),
    inputs,
    outputs,
    arenaBytes: plan.arenaBytes,
    constantBytes: emitter.constantBytes,
    layers,
    traced,
  };
}
