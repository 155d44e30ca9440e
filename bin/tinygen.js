#!/usr/bin/env node
// Runs the CLI from one esbuild bundle of src/ (dist/tinygen.mjs), rebuilt whenever a source is
// newer than it, so `npx tinygen` starts fast and never sees stale code. Where the bundle cannot
// be written (a read-only install), the sources run through tsx instead.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli', 'main.ts');
const bundle = join(root, 'dist', 'tinygen.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

async function freshBundle() {
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(root, 'src'))) return bundle;
  try {
    const { build } = await import('esbuild');
    mkdirSync(dirname(bundle), { recursive: true });
    // Written aside and renamed, so tinygen processes started together never load half a bundle.
    const staging = `${bundle}.${process.pid}.tmp`;
    await build({ entryPoints: [entry], outfile: staging, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent' });
    renameSync(staging, bundle);
    return bundle;
  } catch {
    rmSync(`${bundle}.${process.pid}.tmp`, { force: true });
    return undefined;
  }
}

const built = await freshBundle();
let main;
if (built) {
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(entry).href));
}
process.exitCode = await main(process.argv.slice(2));
