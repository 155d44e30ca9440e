#!/usr/bin/env node
// Runs the CLI from one esbuild bundle of src/ (dist/tinygen.mjs). An installed package ships the
// bundle and no sources. In a checkout the bundle is rebuilt whenever a source is newer than it,
// so it is never stale; where it cannot be written, the sources run through tsx instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'src');
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
  if (!existsSync(sources)) return bundle;
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(sources)) return bundle;
  try {
    const { buildBundle } = await import('../scripts/build-bundle.mjs');
    await buildBundle();
    return bundle;
  } catch {
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
  ({ main } = await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href));
}
process.exitCode = await main(process.argv.slice(2));
