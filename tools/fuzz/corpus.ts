/** The models the fuzzer mutates, and how one mutant is drawn from them. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { buildNetwork, NETWORKS } from '../../test/helpers/networks.ts';
import { TFLITE_TEST_NETWORKS, type TfliteTestNetwork } from '../../test/helpers/tflite-networks.ts';
import { buildTflite, type ModelSpec } from '../../test/helpers/tflite-builder.ts';
import { mutateBytes } from './bytes.ts';
import { chainModel, mutateOnnxStructure } from './onnx.ts';
import { Rng } from './random.ts';
import { mutateTfliteSpec } from './tflite.ts';

export type Format = 'onnx' | 'tflite';

export interface Seed {
  label: string;
  format: Format;
  bytes: Uint8Array;
  spec?: ModelSpec;
}

export interface Mutant {
  index: number;
  format: Format;
  seed: string;
  what: string;
  bytes: Uint8Array;
}

const SHARED = join(PACKAGE_ROOT, '..', 'shared');

/** The example models, the shared models and the tests' networks, ONNX and TFLite. */
export function loadSeeds(): { onnx: Seed[]; tflite: Seed[] } {
  const onnx: Seed[] = [];
  const models = join(SHARED, 'models');
  if (existsSync(models)) for (const f of readdirSync(models).filter((f) => f.endsWith('.onnx')).sort()) onnx.push({ label: `shared/models/${f}`, format: 'onnx', bytes: readFileSync(join(models, f)) });
  onnx.push({ label: 'examples/demo_cnn.onnx', format: 'onnx', bytes: readFileSync(join(PACKAGE_ROOT, 'examples', 'demo_cnn.onnx')) });
  for (const name of NETWORKS)
    for (const [form, act] of [['qop', 'int8'], ['qdq', 'int8'], ['qop', 'uint8'], ['qdq', 'uint8']] as const)
      onnx.push({ label: `${name} ${form} ${act}`, format: 'onnx', bytes: readFileSync(buildNetwork(name, form, act)) });
  const tflite: Seed[] = [];
  const conformance = join(SHARED, 'conformance', 'tflite');
  if (existsSync(conformance))
    for (const d of readdirSync(conformance).sort()) {
      const file = join(conformance, d, 'model.tflite');
      if (existsSync(file)) tflite.push({ label: `TFLM ${d}`, format: 'tflite', bytes: readFileSync(file) });
    }
  for (const name of Object.keys(TFLITE_TEST_NETWORKS) as TfliteTestNetwork[]) {
    const spec = TFLITE_TEST_NETWORKS[name]();
    tflite.push({ label: `${name}.tflite`, format: 'tflite', bytes: buildTflite(spec), spec });
  }
  return { onnx, tflite };
}

/**
 * Mutant `index` of run `seed`: even indices ONNX, odd TFLite. Each mutant has its own PRNG, so
 * one mutant can be made again from (seed, index) alone.
 */
export function makeMutant(seeds: { onnx: Seed[]; tflite: Seed[] }, seed: number, index: number): Mutant {
  const rng = new Rng((seed * 1_000_003 + index * 7919) >>> 0);
  const format: Format = index % 2 === 0 ? 'onnx' : 'tflite';
  if (format === 'onnx') {
    if (rng.chance(0.02)) return { index, format, seed: 'chain', ...chainModel(rng) };
    const base = rng.pick(seeds.onnx);
    const structural = rng.chance(0.65) ? mutateOnnxStructure(base.bytes, rng) : undefined;
    const m = structural ?? mutateBytes(base.bytes, rng);
    // Now and then both: a structural change, then a byte-level one on top.
    const final = structural && rng.chance(0.1) ? mutateBytes(structural.bytes, rng) : undefined;
    return { index, format, seed: base.label, bytes: final?.bytes ?? m.bytes, what: final ? `${m.what}; ${final.what}` : m.what };
  }
  const withSpec = seeds.tflite.filter((s) => s.spec);
  const base = rng.chance(0.6) && withSpec.length ? rng.pick(withSpec) : rng.pick(seeds.tflite);
  const structural = base.spec && rng.chance(0.75) ? mutateTfliteSpec(base.spec, rng) : undefined;
  const m = structural ?? mutateBytes(base.bytes, rng);
  return { index, format, seed: base.label, bytes: m.bytes, what: m.what };
}

export function fuzzTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tinygen-fuzz-'));
}
