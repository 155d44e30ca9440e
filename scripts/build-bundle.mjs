// Bundles src/ into dist/tinygen.mjs with esbuild (npm packages stay external), for `npm pack`
// and for bin/tinygen.js when a source is newer than the bundle.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(root, 'dist', 'tinygen.mjs');

export async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  // Written aside and renamed, so tinygen processes started together never load half a bundle.
  const staging = `${BUNDLE}.${process.pid}.tmp`;
  try {
    await build({ entryPoints: [join(root, 'src', 'cli', 'main.ts')], outfile: staging, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
    renameSync(staging, BUNDLE);
  } finally {
    rmSync(staging, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildBundle();
