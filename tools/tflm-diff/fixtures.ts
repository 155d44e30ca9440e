/**
 * The committed TFLM fixtures: generated models with their inputs and TFLM's outputs, so the test
 * suite checks tinygen against TFLM without building TFLM. A folder holds `<id>.tflite` per case
 * and cases.json listing each case's operators, input records and TFLM's output bytes (base64),
 * and, for a model tinygen refuses, the refusal it gave when the fixtures were written.
 */
import { readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureCase {
  id: string;
  ops: string[];
  model: Uint8Array;
  records: number;
  input: Uint8Array;
  /** TFLM's output bytes for every record, back to back. */
  tflm: Uint8Array;
  /** tinygen's refusal when the fixture was written; undefined when it ran. */
  refusal?: string;
  /** Named with --also: a case an earlier run found wrong, which the test also builds as C. */
  named?: boolean;
}

interface ManifestEntry {
  id: string;
  ops: string[];
  records: number;
  input: string;
  tflm: string;
  refusal?: string;
  named?: boolean;
}

const MANIFEST = 'cases.json';

/** A refusal as recorded: without the model path that starts tinygen's messages. */
export function refusalText(message: string): string {
  return message.replace(/^[^:]*\.tflite: /, '');
}

/** Replaces the folder's fixtures with `cases`. */
export function writeFixtures(dir: string, cases: readonly FixtureCase[]): void {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) if (file.endsWith('.tflite') || file === MANIFEST) rmSync(join(dir, file));
  const entries: ManifestEntry[] = cases.map((c) => {
    writeFileSync(join(dir, `${c.id}.tflite`), c.model);
    return {
      id: c.id,
      ops: c.ops,
      records: c.records,
      input: Buffer.from(c.input).toString('base64'),
      tflm: Buffer.from(c.tflm).toString('base64'),
      ...(c.refusal !== undefined ? { refusal: refusalText(c.refusal) } : {}),
      ...(c.named ? { named: true } : {}),
    };
  });
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(entries, null, 1)}\n`);
}

export function readFixtures(dir: string): (FixtureCase & { modelPath: string })[] {
  const entries = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as ManifestEntry[];
  return entries.map((e) => {
    const modelPath = join(dir, `${e.id}.tflite`);
    return {
      id: e.id,
      ops: e.ops,
      modelPath,
      model: new Uint8Array(readFileSync(modelPath)),
      records: e.records,
      input: new Uint8Array(Buffer.from(e.input, 'base64')),
      tflm: new Uint8Array(Buffer.from(e.tflm, 'base64')),
      refusal: e.refusal,
      named: e.named ?? false,
    };
  });
}
