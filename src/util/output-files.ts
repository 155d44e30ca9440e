/**
 * Folders and files the user asked for (-o, --keep, --dump, --markdown, report files): a path
 * that cannot be created or written is the user's to fix, so it is a UserError naming the path
 * and the system's reason, never an internal error, and never a hang (Node's recursive mkdir
 * loops forever under /proc, which refuses every mkdir with ENOENT).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.ts';

const reason = (error: unknown) => {
  const { code, message } = error as NodeJS.ErrnoException;
  const text: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is not a folder',
    ENOENT: 'the file system refuses to create it',
    EISDIR: 'it is a folder',
    EEXIST: 'it exists and is not a folder',
    ENAMETOOLONG: 'the name is too long',
  };
  return code ? `${text[code] ?? message} (${code})` : message;
};

/** Creates `folder` and its missing parents, one level at a time. */
export function createFolder(folder: string): void {
  const missing: string[] = [];
  for (let at = resolve(folder); ; at = dirname(at)) {
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(at).isDirectory();
    } catch {
      isFolder = undefined;
    }
    if (isFolder === false) throw new UserError(`cannot create the folder ${folder}: ${at} is a file, not a folder`);
    if (isFolder) break;
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(at).isDirectory()) continue;
      throw new UserError(`cannot create the folder ${folder}: ${reason(error)}`);
    }
  }
}

/** Writes a file, creating its folder first. */
export function writeOutputFile(file: string, data: string | Uint8Array): void {
  createFolder(dirname(resolve(file)));
  try {
    writeFileSync(file, data);
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${reason(error)}`);
  }
}
