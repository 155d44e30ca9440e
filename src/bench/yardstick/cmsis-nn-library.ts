/**
 * CMSIS-NN as a yardstick: Arm's library, compiled from ../shared/yardsticks/cmsis-nn (beside the
 * checkout) at bench time and kept in the object cache, keyed by compiler, CPU flags and sources.
 * It is never part of what tinygen generates and none of its code lives in this repository.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Board } from '../../boards/board.ts';
import { UserError } from '../../errors.ts';
import { cpuFlags } from '../../toolchain/flags.ts';
import { objectLibrary, type ObjectLibrary } from '../../toolchain/object-cache.ts';
import { GCC } from '../../toolchain/tools.ts';
import { PACKAGE_ROOT } from '../../version.ts';

/** The CMSIS-NN commit the layer mapping was written against (../shared/yardsticks/README.md). */
export const CMSIS_NN_COMMIT = '99f736a';

/** Where the yardstick lives: $TINYGEN_CMSIS_NN, else ../shared/yardsticks/cmsis-nn beside the checkout. */
export function cmsisNnRoot(): string {
  return resolve(process.env.TINYGEN_CMSIS_NN || join(PACKAGE_ROOT, '..', 'shared', 'yardsticks', 'cmsis-nn'));
}

/** Throws the one-line refusal (exit 2) when the yardstick is not there; returns its root. */
export function requireCmsisNn(): string {
  const root = cmsisNnRoot();
  if (!existsSync(join(root, 'Include', 'arm_nnfunctions.h')) || !existsSync(join(root, 'Source'))) {
    throw new UserError(`--against cmsis-nn needs CMSIS-NN's Include/ and Source/ at ${root} (../shared/yardsticks/cmsis-nn beside the checkout, or $TINYGEN_CMSIS_NN); it is not there`);
  }
  return root;
}

export function cmsisNnIncludeDir(root: string): string {
  return join(root, 'Include');
}

/**
 * Every integer source of the library (the float _f16/_f32 files need configuration they do not
 * get here, and the Python bindings are C++). With -ffunction-sections and --gc-sections, the
 * image keeps only what the wrappers reach.
 */
export function cmsisNnSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.c') && !/_(f16|f32|flt)\.c$/.test(name)) out.push(path);
    }
  };
  walk(join(root, 'Source'));
  return out;
}

/**
 * -O3, as CMSIS-NN's own builds and the yardstick figures use; the core's -mcpu picks the variant
 * (DSP/SMLAD on the M4, MVE on the M55, plain C on the M3). No -Werror: it is not our code.
 */
export function cmsisNnFlags(board: Board): string[] {
  return [...cpuFlags(board), '-std=c11', '-O3', '-ffunction-sections', '-fdata-sections'];
}

/** The library's objects for the board, from the kernel cache or compiled into it. */
export function cmsisNnLibrary(board: Board, root: string): Promise<ObjectLibrary> {
  return objectLibrary({ compiler: GCC, flags: cmsisNnFlags(board), sources: cmsisNnSources(root), includeDirs: [cmsisNnIncludeDir(root)] });
}
