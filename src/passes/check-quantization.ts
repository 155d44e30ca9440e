/**
 * Refuses quantization no kernel can honour, once every tensor's type is known: a quantized
 * activation is int8, uint8 or int16 (a zero point's type gives an output its type, and an int32
 * one named no kernel), or an int32 that only TFLiteRequantize writes or reads (TFLite's QUANTIZE
 * to and from int32), an int8 or uint8 tensor's zero points lie in its type's range whatever type
 * the file stored them in (an int32 zero point of 100000 would otherwise wrap inside the
 * kernels), and scales are positive and finite.
 */
import type { Graph, Tensor } from '../ir/graph.ts';
import { consumersOf, producerOf, quantizedRange } from '../ir/graph.ts';
import { UserError } from '../errors.ts';

export function checkQuantization(graph: Graph): Graph {
  for (const tensor of graph.tensors.values()) {
    if (!tensor.quant) continue;
    const range = quantizedRange(tensor.dtype);
    if (!range && tensor.data === undefined && !requantizedInt32(graph, tensor)) {
      throw new UserError(`tensor '${tensor.name}' is quantized but ${tensor.dtype}: quantized activations must be int8, uint8 or int16 (check the type of its zero point)`);
    }
    if (range) {
      const bad = tensor.quant.zeroPoint.find((z) => !Number.isInteger(z) || z < range[0] || z > range[1]);
      if (bad !== undefined) {
        throw new UserError(`tensor '${tensor.name}' (${tensor.dtype}): zero point ${bad} is outside ${tensor.dtype}'s range [${range[0]}, ${range[1]}]`);
      }
    }
    const scale = tensor.quant.scale.find((s) => !(s > 0 && Number.isFinite(s)));
    if (scale !== undefined) throw new UserError(`tensor '${tensor.name}': scale ${scale} must be positive and finite`);
  }
  return graph;
}

/** An int32 activation written by a TFLiteRequantize, or a graph input only TFLiteRequantize reads. */
function requantizedInt32(graph: Graph, tensor: Tensor): boolean {
  if (tensor.dtype !== 'int32') return false;
  const producer = producerOf(graph, tensor.name);
  if (producer) return producer.op === 'TFLiteRequantize';
  const consumers = consumersOf(graph, tensor.name);
  return consumers.length > 0 && consumers.every((n) => n.op === 'TFLiteRequantize');
}
