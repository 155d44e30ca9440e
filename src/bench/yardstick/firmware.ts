/**
 * The yardstick firmware: one C file that runs each mapped layer once with CMSIS-NN, in the
 * validation harness's contract (firmware/harness/harness_model.h), so the harness's own main,
 * built with -DTINYGEN_PROFILE, reads SysTick after each layer as it does for tinygen's profiled
 * build. Each layer reads its input from the input record (the activations tinygen's reference
 * interpreter computed for the model on a seeded input) and writes its own slice of the output
 * record, which is then compared with the reference's bytes for that layer.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Board } from '../../boards/board.ts';
import { buildFirmware, functionSizes } from '../../toolchain/build.ts';
import { runFirmware } from '../../toolchain/qemu.ts';
import { describeExitStatus, HARNESS_EXIT, parseHarnessStdout } from '../../toolchain/harness.ts';
import { HARNESS_DIR } from '../../toolchain/object-cache.ts';
import { renderTemplate } from '../../codegen/render.ts';
import { cArrayBody, cCommentText, cInt, cInt64 } from '../../codegen/c-literals.ts';
import { TOOL_VERSION } from '../../version.ts';
import type { AddCall, Conv16Call, ConvCall, Dims, FullyConnected16Call, FullyConnectedCall, MappedLayer, PoolCall, SoftmaxCall } from './map-layers.ts';
import { CMSIS_NN_COMMIT, cmsisNnIncludeDir, cmsisNnLibrary } from './cmsis-nn-library.ts';

const ALIGN = 16;
const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** harness_run's status when a layer's scratch does not fit (+ layer index), or a call fails (+ index). */
const SCRATCH_FAILED = 10000;
const CALL_FAILED = 20000;

/** Where each layer's inputs and output sit in the records. */
export interface LayerSlots {
  inputs: { tensor: string; offset: number; bytes: number }[];
  output: { tensor: string; offset: number; bytes: number };
}

export interface RecordLayout {
  slots: LayerSlots[];
  inputBytes: number;
  outputBytes: number;
}

/** Packs the layers' inputs into one record and their outputs into another, each slice 16-byte aligned. */
export function recordLayout(layers: readonly MappedLayer[], bytesOf: (tensor: string) => number): RecordLayout {
  let input = 0;
  let output = 0;
  const slots = layers.map((l): LayerSlots => {
    const inputs = l.inputs.map((tensor) => {
      const slot = { tensor, offset: input, bytes: bytesOf(tensor) };
      input = alignUp(input + slot.bytes);
      return slot;
    });
    const out = { tensor: l.output, offset: output, bytes: bytesOf(l.output) };
    output = alignUp(output + out.bytes);
    return { inputs, output: out };
  });
  // Some CMSIS-NN kernels (MVE's predicated tails, the depthwise fast paths) may read a little
  // past an input's end; the padding keeps those reads inside the record.
  return { slots, inputBytes: input + 64, outputBytes: Math.max(output, ALIGN) };
}

/** A generous bound on what the wrapper's *_get_buffer_size asks for; the firmware checks it at run time. */
function scratchBound(l: MappedLayer): number {
  const c = l.call;
  switch (c.kernel) {
    case 'arm_convolve_wrapper_s8':
    case 'arm_depthwise_conv_wrapper_s8': {
      const taps = c.filter.h * c.filter.w;
      const patch = taps * c.input.c;
      // im2col columns (int16 pairs, or four int8 lanes of 16 on MVE), a transposed filter (MVE
      // depthwise with one input channel), the MVE depthwise block.
      return 4 * (alignUp(patch) + 16) + 4 * (patch + 4) + taps * c.output.c + 4 * 124 * taps + 4 * c.input.c + 64;
    }
    case 'arm_convolve_wrapper_s16': {
      // Two int16 im2col columns (DSP), or four padded to whole 8-lane vectors (MVE).
      const patch = c.filter.h * c.filter.w * c.input.c;
      return 4 * 2 * (Math.ceil(patch / 8) * 8) + 64;
    }
    case 'arm_depthwise_conv_wrapper_s16':
      // The fast path's int16 patch of every channel (DSP), four of them plus 8 bytes (MVE).
      return 4 * 2 * c.filter.h * c.filter.w * c.input.c + 8 + 64;
    case 'arm_avgpool_s8':
      return 4 * c.input.c + 64;
    default:
      return 0;
  }
}

const dims = (d: Dims) => `{ .n = ${d.n}, .h = ${d.h}, .w = ${d.w}, .c = ${d.c} }`;
const tile = ([h, w]: [number, number]) => `{ .w = ${w}, .h = ${h} }`;
const ints = (values: ArrayLike<number>) => cArrayBody(values, cInt);
const int64s = (values: BigInt64Array) => cArrayBody(values, cInt64, 8);

interface LayerC {
  index: number;
  comment: string;
  declarations: string;
  setup: string;
  run: string;
}

const isConv16 = (call: ConvCall | Conv16Call): call is Conv16Call => call.kernel === 'arm_convolve_wrapper_s16' || call.kernel === 'arm_depthwise_conv_wrapper_s16';

function layerC(l: MappedLayer, slots: LayerSlots): LayerC {
  const p = `yl${l.index}`;
  const input = (i: number) => `(const int8_t *)(harness_input_record + ${slots.inputs[i]!.offset})`;
  const output = `(int8_t *)(harness_output_record + ${slots.output.offset})`;
  // The s16 kernels' activations; every slot is 16-byte aligned.
  const input16 = `(const int16_t *)(const void *)(harness_input_record + ${slots.inputs[0]!.offset})`;
  const output16 = `(int16_t *)(void *)(harness_output_record + ${slots.output.offset})`;
  const bias64 = (bias: BigInt64Array | null) =>
    bias ? `static const int64_t ${p}_bias[${bias.length}] YARDSTICK_WEIGHTS = {\n${int64s(bias)}\n};` : `/* no bias: the kernel gets a null pointer, as from TFLM */`;
  const biasRef = (bias: BigInt64Array | null) => (bias ? `${p}_bias` : '(const int64_t *)0');
  const fail = (code: number) => `return ${code + l.index};`;
  const checked = (call: string) => `    if (${call} != ARM_CMSIS_NN_SUCCESS) {\n        ${fail(CALL_FAILED)}\n    }`;
  const scratch = (size: string) => `    if (${size} > YARDSTICK_SCRATCH_BYTES) {\n        ${fail(SCRATCH_FAILED)}\n    }`;
  const ctx = `const cmsis_nn_context ${p}_ctx = { yardstick_scratch, YARDSTICK_SCRATCH_BYTES };`;
  const comment = cCommentText(`${l.node} (${l.op}) -> ${l.call.kernel}`);
  const c = l.call;
  switch (c.kernel) {
    case 'arm_convolve_wrapper_s8':
    case 'arm_depthwise_conv_wrapper_s8':
    case 'arm_convolve_wrapper_s16':
    case 'arm_depthwise_conv_wrapper_s16': {
      // int8 and 16x8 share the geometry, the per-channel multipliers and the call; they differ in
      // the bias (int32, or int64 behind cmsis_nn_bias_data for the general s16 convolution), the
      // offsets (16x8 has none) and the activation pointers.
      const conv: ConvCall | Conv16Call = c;
      const depthwise = c.kernel === 'arm_depthwise_conv_wrapper_s8' || c.kernel === 'arm_depthwise_conv_wrapper_s16';
      const paramsType = depthwise ? 'cmsis_nn_dw_conv_params' : 'cmsis_nn_conv_params';
      let biasDeclarations: string[];
      let biasArgument: string;
      let offsets: [number, number];
      let activations: [string, string];
      if (isConv16(conv)) {
        biasDeclarations = [
          bias64(conv.bias),
          // The general convolution takes its bias through cmsis_nn_bias_data, which says the type.
          ...(depthwise ? [] : [`static const cmsis_nn_bias_data ${p}_bias_data = { ${biasRef(conv.bias)}, false };`]),
        ];
        biasArgument = depthwise ? biasRef(conv.bias) : `&${p}_bias_data`;
        offsets = [0, 0];
        activations = [input16, output16];
      } else {
        biasDeclarations = [`static const int32_t ${p}_bias[${conv.bias.length}] YARDSTICK_WEIGHTS = {\n${ints(conv.bias)}\n};`];
        biasArgument = `${p}_bias`;
        offsets = [conv.inputOffset, conv.outputOffset];
        activations = [input(0), output];
      }
      const declarations = [
        `static const int8_t ${p}_weights[${conv.weights.length}] YARDSTICK_WEIGHTS = {\n${ints(conv.weights)}\n};`,
        ...biasDeclarations,
        `static int32_t ${p}_multiplier[${conv.multipliers.length}] = {\n${ints(conv.multipliers)}\n};`,
        `static int32_t ${p}_shift[${conv.shifts.length}] = {\n${ints(conv.shifts)}\n};`,
        `static const cmsis_nn_per_channel_quant_params ${p}_quant = { ${p}_multiplier, ${p}_shift };`,
        `static const ${paramsType} ${p}_params = { .input_offset = ${offsets[0]}, .output_offset = ${offsets[1]},${depthwise ? ` .ch_mult = ${conv.chMult},` : ''} ` +
          `.stride = ${tile(conv.stride)}, .padding = ${tile(conv.padding)}, .dilation = ${tile(conv.dilation)}, .activation = { .min = ${conv.actMin}, .max = ${conv.actMax} } };`,
        `static const cmsis_nn_dims ${p}_input_dims = ${dims(conv.input)};`,
        `static const cmsis_nn_dims ${p}_filter_dims = ${dims(conv.filter)};`,
        `static const cmsis_nn_dims ${p}_bias_dims = { .n = 1, .h = 1, .w = 1, .c = ${conv.output.c} };`,
        `static const cmsis_nn_dims ${p}_output_dims = ${dims(conv.output)};`,
      ].join('\n');
      const args = `&${p}_params, &${p}_input_dims, &${p}_filter_dims, &${p}_output_dims`;
      return {
        index: l.index,
        comment,
        declarations,
        setup: scratch(`${conv.kernel}_get_buffer_size(${args})`),
        run:
          `    {\n        ${ctx}\n` +
          checked(
            `${conv.kernel}(&${p}_ctx, &${p}_params, &${p}_quant, &${p}_input_dims, ${activations[0]}, &${p}_filter_dims, ${p}_weights, &${p}_bias_dims, ${biasArgument}, &${p}_output_dims, ${activations[1]})`,
          ).replace(/^/gm, '    ') +
          `\n    }`,
      };
    }
    case 'arm_fully_connected_s8':
    case 'arm_fully_connected_per_channel_s8': {
      const fc: FullyConnectedCall = c;
      const perChannel = fc.kernel === 'arm_fully_connected_per_channel_s8';
      const declarations = [
        `static const int8_t ${p}_weights[${fc.weights.length}] YARDSTICK_WEIGHTS = {\n${ints(fc.weights)}\n};`,
        `static const int32_t ${p}_bias[${fc.bias.length}] YARDSTICK_WEIGHTS = {\n${ints(fc.bias)}\n};`,
        perChannel
          ? `static int32_t ${p}_multiplier[${fc.n}] = {\n${ints(fc.multipliers)}\n};\nstatic int32_t ${p}_shift[${fc.n}] = {\n${ints(fc.shifts)}\n};\n` +
            `static const cmsis_nn_per_channel_quant_params ${p}_quant = { ${p}_multiplier, ${p}_shift };`
          : `static const cmsis_nn_per_tensor_quant_params ${p}_quant = { ${cInt(fc.multipliers[0]!)}, ${fc.shifts[0]} };`,
        `static const cmsis_nn_fc_params ${p}_params = { .input_offset = ${fc.inputOffset}, .filter_offset = 0, .output_offset = ${fc.outputOffset}, .activation = { .min = ${fc.actMin}, .max = ${fc.actMax} } };`,
        `static const cmsis_nn_dims ${p}_input_dims = { .n = ${fc.batches}, .h = 1, .w = 1, .c = ${fc.k} };`,
        `static const cmsis_nn_dims ${p}_filter_dims = { .n = ${fc.k}, .h = 1, .w = 1, .c = ${fc.n} };`,
        `static const cmsis_nn_dims ${p}_bias_dims = { .n = 1, .h = 1, .w = 1, .c = ${fc.n} };`,
        `static const cmsis_nn_dims ${p}_output_dims = { .n = ${fc.batches}, .h = 1, .w = 1, .c = ${fc.n} };`,
        '/* Kernel sums (bias + input offset x row sums), which the MVE kernels take precomputed. */',
        `static int32_t ${p}_kernel_sums[${fc.n}];`,
      ].join('\n');
      const setup =
        `    if (arm_fully_connected_s8_get_buffer_size(&${p}_filter_dims) > (int32_t)sizeof ${p}_kernel_sums) {\n        ${fail(SCRATCH_FAILED)}\n    }\n` +
        `    if (arm_fully_connected_s8_get_buffer_size(&${p}_filter_dims) > 0) {\n` +
        `        (void)arm_vector_sum_s8(${p}_kernel_sums, ${fc.k}, ${fc.n}, ${p}_weights, ${fc.inputOffset}, 0, ${p}_bias);\n    }`;
      return {
        index: l.index,
        comment,
        declarations,
        setup,
        run:
          `    {\n        const cmsis_nn_context ${p}_ctx = { ${p}_kernel_sums, (int32_t)sizeof ${p}_kernel_sums };\n` +
          checked(`${fc.kernel}(&${p}_ctx, &${p}_params, &${p}_quant, &${p}_input_dims, ${input(0)}, &${p}_filter_dims, ${p}_weights, &${p}_bias_dims, ${p}_bias, &${p}_output_dims, ${output})`).replace(/^/gm, '    ') +
          `\n    }`,
      };
    }
    case 'arm_elementwise_add_s8': {
      const add: AddCall = c;
      const call =
        `arm_elementwise_add_s8(${input(0)}, ${input(1)}, ${add.input1.offset}, ${cInt(add.input1.multiplier.multiplier)}, ${add.input1.multiplier.shift}, ` +
        `${add.input2.offset}, ${cInt(add.input2.multiplier.multiplier)}, ${add.input2.multiplier.shift}, ${add.leftShift}, ${output}, ` +
        `${add.outputOffset}, ${cInt(add.output.multiplier)}, ${add.output.shift}, ${add.actMin}, ${add.actMax}, ${add.elements})`;
      return { index: l.index, comment, declarations: '/* no constants */', setup: '', run: checked(call) };
    }
    case 'arm_avgpool_s8':
    case 'arm_max_pool_s8': {
      const pool: PoolCall = c;
      const declarations = [
        `static const cmsis_nn_pool_params ${p}_params = { .stride = ${tile(pool.stride)}, .padding = ${tile(pool.padding)}, .activation = { .min = ${pool.actMin}, .max = ${pool.actMax} } };`,
        `static const cmsis_nn_dims ${p}_input_dims = ${dims(pool.input)};`,
        `static const cmsis_nn_dims ${p}_filter_dims = { .n = 1, .h = ${pool.filter[0]}, .w = ${pool.filter[1]}, .c = 1 };`,
        `static const cmsis_nn_dims ${p}_output_dims = ${dims(pool.output)};`,
      ].join('\n');
      const setup = pool.kernel === 'arm_avgpool_s8' ? scratch(`arm_avgpool_s8_get_buffer_size(${pool.output.w}, ${pool.input.c})`) : '';
      return {
        index: l.index,
        comment,
        declarations,
        setup,
        run: `    {\n        ${ctx}\n` + checked(`${pool.kernel}(&${p}_ctx, &${p}_params, &${p}_input_dims, ${input(0)}, &${p}_filter_dims, &${p}_output_dims, ${output})`).replace(/^/gm, '    ') + `\n    }`,
      };
    }
    case 'arm_fully_connected_s16': {
      const fc: FullyConnected16Call = c;
      const declarations = [
        `static const int8_t ${p}_weights[${fc.weights.length}] YARDSTICK_WEIGHTS = {\n${ints(fc.weights)}\n};`,
        bias64(fc.bias),
        `static const cmsis_nn_per_tensor_quant_params ${p}_quant = { ${cInt(fc.multiplier)}, ${fc.shift} };`,
        `static const cmsis_nn_fc_params ${p}_params = { .input_offset = 0, .filter_offset = 0, .output_offset = 0, .activation = { .min = ${fc.actMin}, .max = ${fc.actMax} } };`,
        `static const cmsis_nn_dims ${p}_input_dims = { .n = ${fc.batches}, .h = 1, .w = 1, .c = ${fc.k} };`,
        `static const cmsis_nn_dims ${p}_filter_dims = { .n = ${fc.k}, .h = 1, .w = 1, .c = ${fc.n} };`,
        `static const cmsis_nn_dims ${p}_bias_dims = { .n = 1, .h = 1, .w = 1, .c = ${fc.n} };`,
        `static const cmsis_nn_dims ${p}_output_dims = { .n = ${fc.batches}, .h = 1, .w = 1, .c = ${fc.n} };`,
      ].join('\n');
      return {
        index: l.index,
        comment,
        declarations,
        setup: scratch(`arm_fully_connected_s16_get_buffer_size(&${p}_filter_dims)`),
        run:
          `    {\n        ${ctx}\n` +
          checked(`arm_fully_connected_s16(&${p}_ctx, &${p}_params, &${p}_quant, &${p}_input_dims, ${input16}, &${p}_filter_dims, ${p}_weights, &${p}_bias_dims, ${biasRef(fc.bias)}, &${p}_output_dims, ${output16})`).replace(/^/gm, '    ') +
          `\n    }`,
      };
    }
    case 'arm_softmax_s8': {
      const s: SoftmaxCall = c;
      return {
        index: l.index,
        comment,
        declarations: '/* no constants */',
        setup: '',
        run: `    arm_softmax_s8(${input(0)}, ${s.rows}, ${s.rowSize}, ${cInt(s.multiplier)}, ${s.shift}, ${s.diffMin}, ${output});`,
      };
    }
  }
}

/** The yardstick's harness_model.c. */
export function generateYardstickC(model: string, cmsisRoot: string, layers: readonly MappedLayer[], layout: RecordLayout): string {
  const scratchBytes = alignUp(Math.max(ALIGN, ...layers.map(scratchBound)));
  return renderTemplate('yardstick_cmsis_nn.c.hbs', {
    version: TOOL_VERSION,
    model: cCommentText(model),
    commit: CMSIS_NN_COMMIT,
    cmsisRoot: cCommentText(cmsisRoot),
    inputBytes: layout.inputBytes,
    outputBytes: layout.outputBytes,
    scratchBytes,
    layers: layers.map((l, i) => layerC(l, layout.slots[i]!)),
  });
}

export interface YardstickRun {
  /** SysTick ticks of each mapped layer, by layer index (one profiling hook included, as in tinygen's profiled build). */
  layerTicks: Map<number, number>;
  /** The output record: each layer's output at its slot. */
  outputs: Uint8Array;
  /** CMSIS-NN's functions linked into the firmware (every name starts with arm_), by name: bytes of code. */
  cmsisNnFunctions: Map<string, number>;
  failure?: string;
}

/** Builds the yardstick firmware for the board and runs it once under QEMU -icount. */
export async function runYardstick(options: {
  board: Board;
  cmsisRoot: string;
  model: string;
  layers: readonly MappedLayer[];
  layout: RecordLayout;
  inputRecord: Uint8Array;
  workDir: string;
  timeoutMs: number;
}): Promise<YardstickRun> {
  const { board, workDir, layout } = options;
  mkdirSync(workDir, { recursive: true });
  const source = join(workDir, 'harness_model.c');
  writeFileSync(source, generateYardstickC(options.model, options.cmsisRoot, options.layers, layout));
  const library = await cmsisNnLibrary(board, options.cmsisRoot);
  const build = await buildFirmware({
    board,
    sources: [source],
    withHarness: true,
    includeDirs: [HARNESS_DIR, cmsisNnIncludeDir(options.cmsisRoot)],
    defines: { TINYGEN_PROFILE: '' },
    objectLibraries: [library],
    outDir: workDir,
    name: 'yardstick',
  });
  const cmsisNnFunctions = await functionSizes(build.elfPath, 'arm_');
  writeFileSync(join(workDir, 'inputs.bin'), options.inputRecord);
  rmSync(join(workDir, 'outputs.bin'), { force: true });
  const run = await runFirmware({ board, elfPath: build.elfPath, args: ['inputs.bin', 'outputs.bin'], cwd: workDir, timeoutMs: options.timeoutMs, icount: true });
  let outputs = new Uint8Array();
  try {
    outputs = new Uint8Array(readFileSync(join(workDir, 'outputs.bin')));
  } catch {
    // reported below
  }
  const harness = parseHarnessStdout(run.stdout);
  const layerTicks = new Map((harness.layerTicks[0] ?? []).map((l) => [l.layer, l.ticks]));
  let failure: string | undefined;
  if (run.timedOut) failure = `the CMSIS-NN firmware did not finish within ${options.timeoutMs} ms`;
  else if (run.exitCode !== 0) {
    const status = /harness_run failed with (\d+)/.exec(run.stderr);
    const code = status ? Number(status[1]) : undefined;
    failure =
      run.exitCode === HARNESS_EXIT.runFailed && code !== undefined && code >= SCRATCH_FAILED
        ? code >= CALL_FAILED
          ? `CMSIS-NN refused the arguments of layer ${code - CALL_FAILED}`
          : `CMSIS-NN's scratch for layer ${code - SCRATCH_FAILED} is larger than the firmware's (an internal error of the yardstick)`
        : `the CMSIS-NN firmware exited with status ${run.exitCode ?? run.signal} (${describeExitStatus(run.exitCode)})`;
  } else if (outputs.length !== layout.outputBytes) failure = `the CMSIS-NN firmware wrote ${outputs.length} output bytes, expected ${layout.outputBytes}`;
  return { layerTicks, outputs, cmsisNnFunctions, ...(failure ? { failure } : {}) };
}
