/**
 * The package as a user installs it: `npm pack` in the checkout, the tarball installed into an
 * empty prefix, and `tinygen` run from a folder outside the checkout. The installed package holds
 * the compiled bundle and no TypeScript, so this also shows that the CLI needs no sources.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { writeMlperfTinyNetwork } from '../helpers/tflite-networks.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tinygen-package-'));
const prefix = join(scratch, 'prefix');
const project = join(scratch, 'project');
const installed = join(prefix, 'lib', 'node_modules', 'tinygen-mcu');
const tinygenBin = join(prefix, 'bin', 'tinygen');

beforeAll(async () => {
  const packed = await execa('npm', ['pack', '--pack-destination', scratch, '--json'], { cwd: PACKAGE_ROOT });
  const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
  // The dependencies come from npm's cache when `npm ci` has filled it (CI), else the registry.
  await execa('npm', ['install', '--global', '--prefix', prefix, join(scratch, filename), '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund']);
  mkdirSync(project);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed tarball, installed into an empty prefix', () => {
  it('carries the bundle, boards, firmware and templates, and no TypeScript', () => {
    expect(existsSync(join(installed, 'dist', 'tinygen.mjs'))).toBe(true);
    for (const folder of ['boards', 'firmware', 'templates']) expect(readdirSync(join(installed, folder)).length).toBeGreaterThan(0);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'test'))).toBe(false);
  });

  it('runs `tinygen demo` from a folder outside the checkout', async () => {
    const demo = await execa(tinygenBin, ['demo', '--inputs', '3'], { cwd: project, reject: false });
    expect(demo.exitCode, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/^PASS /m);
    expect(readdirSync(join(project, 'tinygen-demo'))).toContain('demo.c');
  });

  it('validates a TFLite model of the user\'s on another board', async () => {
    const model = writeMlperfTinyNetwork('ad', project);
    const run = await execa(tinygenBin, ['validate', model, '--board', 'mps2-an385', '--inputs', '2', '--json'], { cwd: project, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { passed: boolean }).passed).toBe(true);
  });
});
