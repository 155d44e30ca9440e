/**
 * What counts as a defect when tinygen compiles a mutant: the README's exit-code contract
 * (0 or 2, and 2 with one line starting "tinygen: error:"), no stack trace, at most 10 s and
 * 1 GiB, and accepted output whose C builds under gcc -Wall -Wextra -Werror.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { kernelLibraryFiles } from '../../src/toolchain/object-cache.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

export const TIME_LIMIT_MS = 10_000;
export const MEMORY_LIMIT_KIB = 1024 * 1024;

export type DefectKind = 'exit-code' | 'multi-line' | 'stack-trace' | 'bad-prefix' | 'timeout' | 'memory' | 'c-build' | 'internal-error' | 'mismatch';
export type Outcome = 'accepted' | 'refused' | DefectKind;

export interface Verdict {
  outcome: Outcome;
  ms: number;
  /** Peak RSS of the compile, KiB (CLI runs only). */
  peakKib?: number;
  detail: string;
}

export function stderrDefect(exitCode: number | null, stderr: string): DefectKind | undefined {
  const text = stderr.replace(/\n$/, '');
  if (/^\s+at .*:\d+:\d+\)?$/m.test(text) || /\n\s+at /.test(text)) return 'stack-trace';
  if (exitCode === 70) return 'internal-error';
  if (exitCode !== 0 && exitCode !== 2) return 'exit-code';
  if (exitCode === 2) {
    if (text.split('\n').length !== 1) return 'multi-line';
    if (!text.startsWith('tinygen: error:')) return 'bad-prefix';
  } else if (text.length) return 'multi-line'; // an accepted model prints nothing on stderr
  return undefined;
}

/** gcc -std=c11 -Wall -Wextra -Werror -c on the generated model .c; the error text on failure. */
export function buildGeneratedC(dir: string): Promise<string | undefined> {
  const model = readdirSync(dir).find((f) => f.endsWith('.c'));
  if (!model) return Promise.resolve(`no model .c in ${dir}`);
  return new Promise((resolve) => {
    const gcc = spawn('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-c', join(dir, model), `-I${dir}`, `-I${join(dir, 'tinygen')}`, '-o', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    gcc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    gcc.on('close', (code) => resolve(code === 0 ? undefined : err.split('\n').filter((l) => /error/.test(l)).slice(0, 3).join(' | ') || `gcc exit ${code}`));
  });
}

/** Runs the real CLI (node bin/tinygen.js compile) under /usr/bin/time with a 10 s limit. */
export function compileWithCli(file: string, outDir: string): Promise<Verdict> {
  const timeFile = `${outDir}.time`;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, 'node', join(PACKAGE_ROOT, 'bin', 'tinygen.js'), 'compile', file, '-o', outDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 100_000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, TIME_LIMIT_MS);
    child.on('close', async (exitCode) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let peakKib: number | undefined;
      try {
        peakKib = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        rmSync(timeFile, { force: true });
      } catch {
        // killed before time wrote it
      }
      // /usr/bin/time reports a child killed by a signal on stderr; keep only tinygen's own lines.
      const own = stderr.split('\n').filter((l) => !/^Command (exited|terminated)/.test(l)).join('\n');
      const done = (outcome: Outcome, detail: string) => resolve({ outcome, ms, peakKib, detail });
      if (timedOut) return done('timeout', `killed after ${TIME_LIMIT_MS} ms`);
      if (peakKib !== undefined && peakKib > MEMORY_LIMIT_KIB) return done('memory', `peak RSS ${peakKib} KiB`);
      const defect = stderrDefect(exitCode, own);
      if (defect) return done(defect, `exit ${exitCode}: ${own.slice(0, 400)}`);
      if (exitCode === 2) return done('refused', own.trim());
      const buildError = await buildGeneratedC(outDir);
      done(buildError ? 'c-build' : 'accepted', buildError ?? '');
    });
  });
}

/** What validating an accepted mutant under QEMU gave. */
export interface ValidateVerdict {
  /** 'passed': bit-exact; 'refused': exit 2 (say, it does not fit the board); 'mismatch': anything else. */
  outcome: 'passed' | 'refused' | 'mismatch';
  detail: string;
}

/**
 * `tinygen validate` on an accepted mutant under QEMU (mps2-an386, a few random inputs): the
 * firmware it compiles must build, run and give the reference's bytes. Exit 1 (a mismatch, a
 * crash, a hang or a build that fails) is a defect; exit 2 is a clean refusal (the model does not
 * fit the board).
 */
export function validateWithCli(file: string, workDir: string): Promise<ValidateVerdict> {
  return new Promise((resolve) => {
    const child = spawn('node', [join(PACKAGE_ROOT, 'bin', 'tinygen.js'), 'validate', file, '--board', 'mps2-an386', '--inputs', '3', '--timeout', '30', '--keep', workDir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1_000_000) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 100_000) stderr += d.toString();
    });
    child.on('close', (exitCode) => {
      if (exitCode === 0) return resolve({ outcome: 'passed', detail: '' });
      if (exitCode === 2) return resolve({ outcome: 'refused', detail: stderr.trim() });
      let detail = stderr.trim().split('\n').pop() ?? '';
      try {
        const cell = (JSON.parse(stdout) as { cells: { failure?: string; mismatchCount?: number }[] }).cells[0];
        detail = cell?.failure ?? `${cell?.mismatchCount ?? '?'} bytes differ from the reference`;
      } catch {
        // no JSON: the detail is stderr's last line
      }
      resolve({ outcome: 'mismatch', detail: `exit ${exitCode}: ${detail}` });
    });
  });
}

/**
 * The same rules in-process (compileModel + generate), for the CI test: a UserError is a clean
 * refusal, anything else an internal error; time is measured, memory is not. With `buildC`, the
 * accepted C is written out as the CLI writes it and built with -Werror.
 */
export async function compileInProcess(file: string, outDir: string, buildC: boolean): Promise<Verdict> {
  const started = performance.now();
  let generated;
  try {
    generated = generate(compileModel({ modelPath: file }));
  } catch (error) {
    const ms = performance.now() - started;
    if (!(error instanceof UserError)) return { outcome: 'internal-error', ms, detail: String(error instanceof Error ? error.stack : error).slice(0, 600) };
    const line = `tinygen: error: ${error.message.replace(/[\r\n]+/g, ' ')}`;
    const defect = ms > TIME_LIMIT_MS ? 'timeout' : stderrDefect(2, line);
    return { outcome: defect ?? 'refused', ms, detail: line };
  }
  const ms = performance.now() - started;
  if (ms > TIME_LIMIT_MS) return { outcome: 'timeout', ms, detail: `${Math.round(ms)} ms` };
  if (!buildC) return { outcome: 'accepted', ms, detail: '' };
  mkdirSync(join(outDir, 'tinygen'), { recursive: true });
  for (const [name, text] of generated.files) writeFileSync(join(outDir, name), text);
  for (const source of kernelLibraryFiles()) copyFileSync(source, join(outDir, 'tinygen', basename(source)));
  const buildError = await buildGeneratedC(outDir);
  return { outcome: buildError ? 'c-build' : 'accepted', ms, detail: buildError ?? '' };
}
