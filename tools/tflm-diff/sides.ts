/** The two sides of the differential test: TFLM's oracle as a process, tinygen in this one. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate, type Compiled } from '../../src/pipeline.ts';
import type { GeneratedModel } from '../../src/codegen/generate.ts';
import type { Board } from '../../src/boards/board.ts';
import { runOnBoard } from '../../src/validate/run-on-board.ts';
import { DEFAULT_TIMEOUT_MS } from '../../src/validate/matrix.ts';
import { UserError } from '../../src/errors.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { buildHostModel } from '../../src/validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../../src/validate/records.ts';

export type SideResult =
  | { kind: 'ran'; output: Uint8Array; where: string }
  | { kind: 'refused'; message: string }
  | { kind: 'crashed'; message: string; aborted?: boolean }
  /** tinygen's generated C gave other bytes than its reference: a defect, whatever TFLM gives. */
  | { kind: 'inconsistent'; message: string };

const ORACLE_TIME_LIMIT_MS = 30_000;

/**
 * tflm-run MODEL INPUTS OUTPUTS: exit 0 ran, 3 refused (TFLM's log on stderr), SIGABRT a failed
 * run-time check (TFLITE_CHECK, or TFLITE_DCHECK and gemmlowp's assert in the default build),
 * anything else crashed.
 */
export function runTflm(oracle: string, modelPath: string, inputPath: string, outputPath: string): Promise<SideResult> {
  return new Promise((resolve) => {
    const child = spawn(oracle, [modelPath, inputPath, outputPath], { stdio: ['ignore', 'ignore', 'pipe'], timeout: ORACLE_TIME_LIMIT_MS });
    let stderr = '';
    child.on('error', (error) => resolve({ kind: 'crashed', message: `tflm-run did not start: ${error.message}` }));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => {
      const message = stderr.trim().split('\n').filter(Boolean).join(' | ').slice(0, 400);
      if (code === 0) {
        try {
          resolve({ kind: 'ran', output: new Uint8Array(readFileSync(outputPath)), where: 'TFLM' });
        } catch (error) {
          resolve({ kind: 'crashed', message: `tflm-run exited 0 without its output: ${(error as Error).message}` });
        }
      } else if (code === 3) resolve({ kind: 'refused', message: message || 'refused' });
      else if (signal === 'SIGABRT') resolve({ kind: 'crashed', aborted: true, message: `aborted${message ? `: ${message}` : ''}` });
      else resolve({ kind: 'crashed', message: signal ? `killed by ${signal}` : `exit ${code}: ${message}` });
    });
  });
}

/** The reference interpreter's output records for `records` input records, back to back. */
export function referenceOutputs(compiled: Compiled, input: Uint8Array, records: number): Uint8Array {
  const graph = compiled.graph;
  const size = input.length / records;
  const outputs = Array.from({ length: records }, (_, r) => valuesToRecord(runReference(graph, recordToValues(graph, graph.inputs, input.subarray(r * size, (r + 1) * size))).outputs));
  return new Uint8Array(Buffer.concat(outputs));
}

/** Where tinygen's generated C runs besides the reference interpreter. */
export interface TinygenTargets {
  /** The host, under ASan/UBSan. */
  hostC?: boolean;
  /** Boards under QEMU (their DSP and MVE kernel bodies). */
  boards?: readonly Board[];
}

/**
 * tinygen in tflite rounding: the reference interpreter over each record, and the generated C on
 * each target, which must give the same bytes as the reference.
 */
export async function runTinygen(modelPath: string, input: Uint8Array, records: number, targets: TinygenTargets = {}): Promise<SideResult> {
  try {
    const compiled = compileModel({ modelPath, rounding: 'tflite' });
    const reference = referenceOutputs(compiled, input, records);
    const where = ['reference'];
    // The C must agree with the reference before either is compared with TFLM.
    const check = (actual: Uint8Array, target: string): SideResult | undefined => {
      if (actual.length !== reference.length) return { kind: 'inconsistent', message: `${target} wrote ${actual.length} bytes, the reference ${reference.length}` };
      const at = actual.findIndex((b, i) => b !== reference[i]);
      if (at >= 0) return { kind: 'inconsistent', message: `${target} differs from the reference at byte ${at}: ${actual[at]}, the reference ${reference[at]}` };
      where.push(target);
      return undefined;
    };
    if (targets.hostC) {
      const host = await buildHostModel(compiled);
      try {
        const differs = check(await host.run(input), 'host C');
        if (differs) return differs;
      } finally {
        host.dispose();
      }
    }
    if (targets.boards?.length) {
      // Generated once: the C is the same for every board.
      const generated = generate(compiled);
      for (const board of targets.boards) {
        const outcome = await runOnQemu(compiled.name, generated, board, input, records);
        if (typeof outcome === 'string') return { kind: 'crashed', message: `${board.id}: ${outcome}` };
        const differs = check(outcome, board.id);
        if (differs) return differs;
      }
    }
    return { kind: 'ran', output: reference, where: where.join(', ') };
  } catch (error) {
    if (error instanceof UserError) return { kind: 'refused', message: error.message };
    return { kind: 'crashed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The firmware's output records on `board`, or why it gave none. */
async function runOnQemu(name: string, generated: GeneratedModel, board: Board, input: Uint8Array, records: number): Promise<Uint8Array | string> {
  const workDir = mkdtempSync(join(tmpdir(), 'tinygen-tflm-board-'));
  try {
    const size = input.length / records;
    const run = await runOnBoard({
      name,
      generated,
      board,
      records: Array.from({ length: records }, (_, r) => input.subarray(r * size, (r + 1) * size)),
      workDir,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    });
    return run.failure ? `${run.failure.kind}: ${run.failure.message}` : run.outputs;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
