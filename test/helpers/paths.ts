import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.ts';

/** ../shared beside the project root: ONNX conformance data and example models. */
export const SHARED = join(PACKAGE_ROOT, '..', 'shared');
export const MODELS = join(SHARED, 'models');
