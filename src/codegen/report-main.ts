/** The minimal application `tinygen report` builds to measure a model's flash, RAM and stack. */
import { TOOL_VERSION } from '../version.ts';
import { renderTemplate } from './render.ts';
import { runSignature } from './api.ts';
import type { GeneratedModel } from './generate.ts';

/** report_main.c for model `name` (see templates/report_main.c.hbs). */
export function generateReportMain(name: string, model: GeneratedModel): string {
  // With inputs and outputs in the arena there are no application buffers: run() takes none.
  const buffers = model.io === 'arena' ? [] : [...model.inputs, ...model.outputs];
  const external = model.arena === 'external';
  return renderTemplate('report_main.c.hbs', {
    version: TOOL_VERSION,
    name,
    upper: name.toUpperCase(),
    buffers,
    externalArena: external,
    hasArena: model.arenaBytes > 0,
    signature: runSignature(model.inputs, model.outputs, model.io, model.arena),
    args: [...(external ? ['app_arena'] : []), ...buffers.map((t) => `app_${t.param}`)].join(', '),
  });
}
