/** Reads a model file for either frontend; a missing or unreadable file is the user's error. */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

export function readModelFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
