/**
 * The contract every operator folder fulfils: its type and shape rules, its compile-time
 * constants, its reference semantics, and its C emission. How a model format maps onto the op is
 * the frontends' business (src/frontend/onnx/import, src/frontend/tflite).
 *
 * An op folder writes an OpDefinition<P>, typed by its own compile-time parameters P, and registers
 * `defineOp(definition)`: the one place where P is erased, node.params written and read back.
 */
import type { DType, Graph, Node, Quantization, TensorData } from '../ir/graph.ts';
import type { RoundingMode } from '../numerics/requantize.ts';

/** A runtime value in the reference interpreter. */
export interface Value {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

export interface OutputInfo {
  shape: number[];
  dtype?: DType;
  quant?: Quantization;
}

/**
 * Where the model's inputs and outputs live: 'caller', in buffers the caller passes to
 * <name>_run; 'arena', in the arena, reached through <name>_input(i) and <name>_output(i), where
 * the planner reuses an input's bytes once it is dead.
 */
export type IoPlacement = 'caller' | 'arena';
export const IO_PLACEMENTS: readonly IoPlacement[] = ['caller', 'arena'];

/** An op's offer to run in place over an input of another size (OpDefinition.inPlaceResized). */
export interface InPlaceRule {
  /** The input whose storage the output takes over. */
  input: number;
  /** Extra working memory while it runs in place. */
  scratchBytes: number;
  /** Estimated instructions the in-place kernel spends beyond the usual one (its extra copies). */
  extraInstructions: number;
}

/**
 * What the memory planner favours where layers could run in place over an input of another size
 * (their kernels copy each output byte once more) or row by row (the line-buffer pass): 'time'
 * neither, 'ram' wherever that lowers the arena, 'balanced' (the default) as 'ram' while the
 * estimated in-place copies stay within 5% of the model's instructions.
 */
export type OptimizeGoal = 'ram' | 'balanced' | 'time';
export const OPTIMIZE_GOALS: readonly OptimizeGoal[] = ['ram', 'balanced', 'time'];

export interface CompileOptions {
  rounding: RoundingMode;
  /** 'caller' when not given. */
  io?: IoPlacement;
  /** 'balanced' when not given. */
  optimize?: OptimizeGoal;
  /**
   * Layers run row by row as fused steps (the line-buffer pass: residual blocks, a conv into a
   * fully connected layer, conv chains) unless this is false or the goal is 'time'; bench
   * --against turns it off so that each layer has its CMSIS-NN counterpart.
   */
  lineBuffer?: boolean;
  /** With line buffering, chains of convolutions run row by row too (ConvChainRows) unless this is false. */
  convChains?: boolean;
}

/**
 * How the layout pass treats the op. The IR is NHWC where an op's semantics name a layout (conv,
 * max pool); the ONNX frontend puts its NCHW tensors through Transposes around those ops, and the
 * layout pass moves the other ops onto the NHWC side of the Transposes so that the pairs cancel:
 * - 'fixed': runs on its tensors as they are (conv, matmul, views, ...);
 * - 'any': elementwise; runs on the NHWC form of its input when every 4-D input has one waiting
 *   (the output of an NHWC op on its way back to NCHW);
 * - 'permutable': its attributes name axes (pads, a concat or reduction axis, a pool's layout) and
 *   `toNhwc` rewrites them for the NHWC form; it runs on NHWC when any 4-D input has an NHWC form
 *   waiting or its output goes on to an NHWC op.
 */
export type LayoutKind = 'fixed' | 'any' | 'permutable';

export interface EmitContext {
  /** A C expression for the pointer to a tensor's storage. */
  pointer(tensor: string): string;
  /** Declares a file-scope constant array and returns its C name. */
  constArray(suffix: string, ctype: CType, values: ConstValues): string;
  /** Declares a file-scope `static const <type> <name> = <initializer>;` and returns its name. */
  constStruct(suffix: string, ctype: string, initializer: string): string;
  /**
   * Declares a static function that runs a kernel's body (a static inline in `kernel.header`) on
   * the const parameters `params` with the layer's constants in the compiler's view, and returns
   * the call of it on `args`.
   */
  specialised(kernel: SpecialisedKernel, params: string, args: readonly SpecialisedArgument[]): string;
  /**
   * Declares a file-scope `static void <name>(<parameters>)` with the given body lines (after
   * every declaration made so far, so it may call those) and returns its name.
   */
  helper(suffix: string, parameters: string, body: readonly string[]): string;
  /** True when the planner gave the node's output the same storage as its input. */
  aliased(node: Node): boolean;
  /** True when the node runs in place: its output takes over the storage of an input that dies there. */
  inPlace(node: Node): boolean;
  /** A C expression (int8_t *) for the node's scratch space in the arena (ops with scratchBytes); cast it for wider elements. */
  scratch(node: Node): string;
}

/** A kernel whose body generated code may instantiate per layer. */
export interface SpecialisedKernel {
  /** The kernel library's header that defines the body, e.g. 'tg_conv_1x1.h'. */
  header: string;
  /** The body: `static inline void <body>(const <params type> *p, <args...>[, int32_t mode])`. */
  body: string;
  /** The library function the same body makes (for this mode), named in a comment. */
  library: string;
  /** The rounding mode's C constant, the body's last argument; absent when the parameters hold the mode. */
  mode?: 'TG_ROUND_TFLITE' | 'TG_ROUND_ONNX';
}

/** One argument of a specialised kernel: its C declaration and the value passed. */
export interface SpecialisedArgument {
  declaration: string;
  name: string;
  value: string;
}

export type CType = 'int8_t' | 'uint8_t' | 'int16_t' | 'int32_t' | 'int64_t' | 'float';
export const CTYPE_BYTES: Record<CType, number> = { int8_t: 1, uint8_t: 1, int16_t: 2, int32_t: 4, int64_t: 8, float: 4 };
/** Each IR element type's C type. */
export const CTYPE_OF: Record<DType, CType> = { int8: 'int8_t', uint8: 'uint8_t', int16: 'int16_t', int32: 'int32_t', int64: 'int64_t', float32: 'float' };

/** A constant array's values: numbers, or bigints for int64_t (16x8 biases). */
export type ConstValues = ArrayLike<number> | BigInt64Array;

/** A node after the prepare-ops pass: its op's compile-time parameters are present and typed. */
export type PreparedNode<P> = Node<P> & { params: P };

/** The parameters of an op that derives none at compile time. */
export type NoParams = Record<string, never>;

/**
 * What an op folder writes, typed by its own compile-time parameters P: `prepare` computes them,
 * and `reference` and `emit` receive them on the node, present and typed. The folder's index.ts
 * passes it to `defineOp`, which makes the registry's entry.
 */
export interface OpDefinition<P extends object> {
  op: string;
  summary: string;
  /** A fixed kind, or one decided per node (e.g. by whether every input has the same rank). */
  layout: LayoutKind | ((node: Node, graph: Graph) => LayoutKind);
  /** True when the output's bytes equal the input's (Reshape, Flatten, Identity), so it may alias. */
  view?(node: Node, graph: Graph): boolean;
  /**
   * Inputs (indices, preferred first) whose storage the output may take over when that input
   * dies at this node: the C kernel reads element i of the input before it writes element i of
   * the output, and never reads an element it has already overwritten. The planner checks the
   * rest (same byte size, last use, not an API pointer, not a constant).
   */
  inPlace?(node: Node, graph: Graph): number[];
  /**
   * An input whose storage the output may take over although their sizes differ (the buffer is
   * then the larger of the two, starting where both start), when that input dies at this node:
   * the kernel orders its reads and writes so that it never reads a byte it has overwritten,
   * using `scratchBytes` of extra working memory while it runs in place. The emitter learns the
   * planner's choice from ctx.inPlace(node).
   */
  inPlaceResized?(node: Node, graph: Graph): InPlaceRule | undefined;
  /**
   * Bytes of working memory the C kernel needs while it runs (e.g. a convolution's gathered input
   * patch); the planner gives them arena space that lives for this step only.
   */
  scratchBytes?(node: Node, graph: Graph): number;
  /** Multiply-accumulates per inference (convolutions and matrix products); absent means none. */
  macs?(node: Node, graph: Graph): number;
  /**
   * Its requantization honours attrs.clamp, so a following Relu or Clip (a Clamp) can fold in.
   * attrs.clamp is an activation's integer [lo, hi] in the storage type of the node's output
   * (outputs[0]), made once by the frontend with its runtime's rule: ONNX Runtime's QuantizeLinear
   * of the real bounds (half to even) for ONNX, TFLM's CalculateActivationRangeQuantized (half
   * away from zero) for TFLite; an infinite bound is the type's end. The uint8 → int8 rewrite
   * shifts it by -128 with a uint8 output, so by prepare time it is int8 and prepare uses it as it
   * is (activationRange in src/ops/common/activation.ts). fuse-activations intersects the Clamp's
   * range with the producer's, which needs the Clamp's input and output to share one type and
   * quantization.
   */
  fusesActivation?: boolean;
  infer(node: Node, graph: Graph): OutputInfo[];
  /**
   * Rewrites the node's attributes and constant inputs, written for NCHW tensors, for their NHWC
   * form: called when the layout pass runs a 'permutable' or 'any' node on NHWC (e.g. to permute a
   * constant operand).
   */
  toNhwc?(node: Node, graph: Graph): void;
  /** Computes the node's compile-time parameters (the registry entry stores them on the node). */
  prepare(node: Node, graph: Graph, options: CompileOptions): P;
  reference(node: PreparedNode<P>, inputs: Value[], graph: Graph): Value[];
  /** One C statement that runs the node, or '' when it needs no code. */
  emit(node: PreparedNode<P>, graph: Graph, ctx: EmitContext): string;
}

/**
 * An op as the registry and the passes see it, its parameter type erased: `prepare` stores the
 * parameters on node.params, and `reference` and `emit` check that they are there. Only
 * `defineOp` makes one.
 */
export interface RegisteredOp extends Omit<OpDefinition<object>, 'prepare' | 'reference' | 'emit'> {
  /** Computes the node's compile-time parameters into node.params. */
  prepare(node: Node, graph: Graph, options: CompileOptions): void;
  reference(node: Node, inputs: Value[], graph: Graph): Value[];
  emit(node: Node, graph: Graph, ctx: EmitContext): string;
}

/** A registered op that still knows its parameter type, for callers that read them (tests, tools). */
export interface TypedOp<P extends object> extends RegisteredOp {
  /** The node's parameters, after prepare-ops; throws an internal error before it or for another op's node. */
  paramsOf(node: Node): P;
}

/**
 * Makes an op folder's definition a registry entry. This is the one place that erases P: it alone
 * writes node.params (from `prepare`'s result) and reads it back (for `reference` and `emit`).
 */
export function defineOp<P extends object>(def: OpDefinition<P>): TypedOp<P> {
  function prepared(node: Node): PreparedNode<P> {
    if (node.op !== def.op) throw new Error(`internal: node '${node.name}' is a ${node.op}, not a ${def.op}`);
    if (node.params === undefined) throw new Error(`internal: node '${node.name}' (${node.op}) has no params: the prepare-ops pass has not run on it`);
    // The one erasure: node.params was written below by this op's own prepare.
    return node as PreparedNode<P>;
  }
  return {
    ...def,
    prepare(node, graph, options) {
      node.params = def.prepare(node, graph, options);
    },
    reference: (node, inputs, graph) => def.reference(prepared(node), inputs, graph),
    emit: (node, graph, ctx) => def.emit(prepared(node), graph, ctx),
    paramsOf: (node) => prepared(node).params,
  };
}
