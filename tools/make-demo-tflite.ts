/**
 * Writes examples/demo_kws.tflite, the second model of the firmware examples: a small int8 TFLite
 * keyword-spotting CNN (strided conv, depthwise-separable block with a residual ADD, pools, a
 * fully connected classifier) on a [1, 10, 8, 1] input, with seeded weights.
 * Run: npx tsx tools/make-demo-tflite.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTflite } from '../test/helpers/tflite-builder.ts';
import { dsCnnLike } from '../test/helpers/tflite-networks.ts';
import { PACKAGE_ROOT } from '../src/version.ts';

writeFileSync(join(PACKAGE_ROOT, 'examples', 'demo_kws.tflite'), buildTflite(dsCnnLike()));
