/**
 * What validate() is doing: compiling the model, checking that it fits the board, running the
 * reference, building the firmware, running it under QEMU, and after a mismatch tracing the first
 * mismatching input layer by layer. A failure is told apart by the stage
 * it happened in (the matrix reports one during 'fit' or 'build' as a build failure).
 */
export type ValidateStage = 'compile' | 'fit' | 'reference' | 'build' | 'run' | 'trace';
