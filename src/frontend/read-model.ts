/**
 * Reads a model file for either frontend. Only a regular file within MAX_MODEL_BYTES is read: a
 * device (/dev/zero) would grow without end and a FIFO would block forever. A missing or
 * unreadable file is the user's error.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

/** Larger than any model a microcontroller can hold, by far. */
export const MAX_MODEL_BYTES = 256 * 1024 * 1024;

export function readModelFile(path: string): Buffer {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO returns at once and is refused below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UserError(`${path}: not a regular file`);
    if (stat.size > MAX_MODEL_BYTES) throw new UserError(`${path}: ${stat.size} bytes; tinygen reads models of at most ${MAX_MODEL_BYTES} bytes`);
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
}
