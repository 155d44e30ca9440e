/** The two sides of the differential test: TFLM's oracle as a process, tinygen in this one. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compileModel } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { elementCount, dtypeBytes, tensorOf } from '../../src/ir/graph.ts';

export type SideResult =
  | { kind: 'ran'; output: Uint8Array; where: string }
  | { kind: 'refused'; message: string }
  | { kind: 'crashed'; message: string; aborted?: boolean };

const ORACLE_TIME_LIMIT_MS = 30_000;

/**
 * tflm-run MODEL INPUTS OUTPUTS: exit 0 ran, 3 refused (TFLM's log on stderr), SIGABRT a failed
 * debug check (TFLITE_DCHECK or gemmlowp's assert), anything else crashed.
 */
export function runTflm(oracle: string, modelPath: string, inputPath: string, outputPath: string): Promise<SideResult> {
  return new Promise((resolve) => {
    const child = spawn(oracle, [modelPath, inputPath, outputPath], { stdio: ['ignore', 'ignore', 'pipe'], timeout: ORACLE_TIME_LIMIT_MS });
    let stderr = '';
    child.on('error', (error) => resolve({ kind: 'crashed', message: `tflm-run did not start: ${error.message}` }));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => {
      const message = stderr.trim().split('\n').filter(Boolean).join(' | ').slice(0, 400);
      if (code === 0) resolve({ kind: 'ran', output: new Uint8Array(readFileSync(outputPath)), where: 'TFLM' });
      else if (code === 3) resolve({ kind: 'refused', message: message || 'refused' });
      else if (signal === 'SIGABRT') resolve({ kind: 'crashed', aborted: true, message: `aborted${message ? `: ${message}` : ''}` });
      else resolve({ kind: 'crashed', message: signal ? `killed by ${signal}` : `exit ${code}: ${message}` });
    });
  });
}

/**
 * tinygen in tflite rounding: the reference interpreter over each record, and with `hostC` the
 * generated C built under ASan/UBSan too, which must give the same bytes as the reference.
 */
export async function runTinygen(modelPath: string, input: Uint8Array, records: number, hostC: boolean): Promise<SideResult> {
  try {
    const compiled = compileModel({ modelPath, rounding: 'tflite' });
    const graph = compiled.graph;
    const recordBytes = input.length / records;
    const outputBytes = graph.outputs.reduce((sum, name) => {
      const t = tensorOf(graph, name);
      return sum + elementCount(t.shape) * dtypeBytes(t.dtype);
    }, 0);
    const reference = new Uint8Array(outputBytes * records);
    for (let r = 0; r < records; r++) {
      const values = recordToValues(graph, graph.inputs, input.subarray(r * recordBytes, (r + 1) * recordBytes));
      reference.set(valuesToRecord(runReference(graph, values).outputs), r * outputBytes);
    }
    if (!hostC) return { kind: 'ran', output: reference, where: 'reference' };
    const host = await buildHostModel(compiled);
    try {
      const actual = await host.run(input);
      const same = actual.length === reference.length && actual.every((b, i) => b === reference[i]);
      // The C must agree with the reference before either is compared with TFLM.
      return same ? { kind: 'ran', output: reference, where: 'reference and host C' } : { kind: 'ran', output: actual, where: 'host C (differs from the reference)' };
    } finally {
      host.dispose();
    }
  } catch (error) {
    if (error instanceof UserError) return { kind: 'refused', message: error.message };
    return { kind: 'crashed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
