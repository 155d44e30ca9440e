/** The adapter between a generated model and the validation harness (firmware/harness). */
import { cArrayBody, cInt } from './c-literals.ts';
import { TOOL_VERSION } from '../version.ts';
import { renderTemplate } from './render.ts';
import type { ApiTensor } from './api.ts';
import type { GeneratedModel } from './generate.ts';

function withOffsets(tensors: ApiTensor[]) {
  let offset = 0;
  return tensors.map((t) => {
    const placed = { ...t, offset };
    offset += t.bytes;
    return placed;
  });
}

const total = (tensors: ApiTensor[]) => tensors.reduce((sum, t) => sum + t.bytes, 0);

/** harness_model.c for model `name`: it fills in firmware/harness/harness_model.h's contract. */
export function generateHarnessAdapter(name: string, model: GeneratedModel): Map<string, string> {
  const view = {
    version: TOOL_VERSION,
    name,
    inputBytes: total(model.inputs),
    outputBytes: total(model.outputs),
    inputs: withOffsets(model.inputs),
    outputs: withOffsets(model.outputs),
    upper: name.toUpperCase(),
    ioInArena: model.io === 'arena',
    externalArena: model.arena === 'external',
    hasArena: model.arenaBytes > 0,
    weightsBlob: model.weightsBlob ? cArrayBody(model.weightsBlob, cInt) : false,
    weightsBlobBytes: model.weightsBlob?.length ?? 0,
    args: [...(model.arena === 'external' ? ['harness_arena'] : []), ...[...model.inputs, ...model.outputs].map((t) => `harness_${t.param}`)].join(', '),
  };
  return new Map([['harness_model.c', renderTemplate('harness_model.c.hbs', view)]]);
}
