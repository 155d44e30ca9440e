/**
 * The contract every operator folder fulfils: its type and shape rules, its compile-time
 * constants, its reference semantics, and its C emission. How a model format maps onto the op is
 * the frontends' business (src/frontend/onnx/import, src/frontend/tflite).
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

export interface CompileOptions {
  rounding: RoundingMode;
}

/**
 * How the layout pass treats the op:
 * - 'spatial': works in NHWC; the pass converts its 4-D tensors and calls `toNhwc`;
 * - 'any': elementwise, runs in whichever layout its input has;
 * - 'logical': needs the model's own (NCHW) order.
 */
export type LayoutKind = 'spatial' | 'any' | 'logical';

export interface EmitContext {
  /** A C expression for the pointer to a tensor's storage. */
  pointer(tensor: string): string;
  /** Declares a file-scope constant array and returns its C name. */
  constArray(suffix: string, ctype: CType, values: ArrayLike<number>): string;
  /** Declares a file-scope `static const <type> <name> = <initializer>;` and returns its name. */
  constStruct(suffix: string, ctype: string, initializer: string): string;
  /** True when the planner gave the node's output the same storage as its input. */
  aliased(node: Node): boolean;
  /** A C expression (void *) for the node's scratch space in the arena (ops with scratchBytes). */
  scratch(node: Node): string;
}

export type CType = 'int8_t' | 'uint8_t' | 'int32_t' | 'float';

export interface OpDefinition {
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
   * Bytes of working memory the C kernel needs while it runs (e.g. a convolution's gathered input
   * patch); the planner gives them arena space that lives for this step only.
   */
  scratchBytes?(node: Node, graph: Graph): number;
  /** Multiply-accumulates per inference (convolutions and matrix products); absent means none. */
  macs?(node: Node, graph: Graph): number;
  /** Its requantization honours attrs.activation (real [min, max]), so a following Relu or Clip can fold in. */
  fusesActivation?: boolean;
  infer(node: Node, graph: Graph): OutputInfo[];
  /**
   * Rewrites the node's attributes and constant inputs for NHWC tensors: called for 'spatial'
   * nodes, and for 'any' nodes the layout pass runs in NHWC (e.g. to permute a constant operand).
   */
  toNhwc?(node: Node, graph: Graph): void;
  /** Computes the node's compile-time parameters into node.params. */
  prepare(node: Node, graph: Graph, options: CompileOptions): void;
  reference(node: Node, inputs: Value[], graph: Graph): Value[];
  /** One C statement that runs the node, or '' when it needs no code. */
  emit(node: Node, graph: Graph, ctx: EmitContext): string;
}
