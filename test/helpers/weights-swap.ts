/**
 * A program that swaps weights blobs under one model's code, for the host (ASan/UBSan) and for
 * the boards. Two "trainings" of one architecture (the DS-CNN-like TFLite network with two weight
 * seeds: the same code, other weights) and a blob of another model. The program binds each blob,
 * runs, compares the outputs with the reference's (computed here, embedded in the program), and
 * checks that every damaged or foreign blob is refused with its reason while the blob bound
 * before stays bound. It prints "weights swap: ok" and exits 0, or names the first check that
 * failed and exits 1.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cArrayBody, cInt } from '../../src/codegen/c-literals.ts';
import { compileModel, generate, type Compiled } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { recordBytes, recordToValues, valuesToRecord } from '../../src/validate/records.ts';
import { buildTflite } from './tflite-builder.ts';
import { dsCnnLike, kwsDsCnn } from './tflite-networks.ts';

export interface SwapProgram {
  /** main.c and net.c, in `dir` (net.h beside them). */
  sources: string[];
  /** The two trainings' blobs and the foreign one, as written by --weights blob. */
  blobs: { a: Uint8Array; b: Uint8Array; other: Uint8Array };
  /** The two trainings' generated C: identical but for the model file's stamp. */
  code: { a: string; b: string };
}

function compileBlob(path: string): { compiled: Compiled; source: string; blob: Uint8Array; inputBytes: number } {
  const compiled = compileModel({ modelPath: path, name: 'net', weights: 'blob' });
  const generated = generate(compiled);
  return { compiled, source: generated.files.get('net.c')!, blob: generated.weightsBlob!, inputBytes: recordBytes(generated.inputs) };
}

const bytes = (name: string, data: Uint8Array, ctype = 'uint8_t') =>
  `static const ${ctype} ${name}[${data.length}] __attribute__((aligned(16))) = {\n${cArrayBody(ctype === 'int8_t' ? new Int8Array(data.buffer, data.byteOffset, data.length) : data, cInt)}\n};`;

export function writeSwapProgram(dir: string): SwapProgram {
  const paths = { a: join(dir, 'net_a.tflite'), b: join(dir, 'net_b.tflite'), other: join(dir, 'other.tflite') };
  writeFileSync(paths.a, buildTflite(dsCnnLike(7)));
  writeFileSync(paths.b, buildTflite(dsCnnLike(8)));
  writeFileSync(paths.other, buildTflite(kwsDsCnn(21)));
  const [a, b, other] = [compileBlob(paths.a), compileBlob(paths.b), compileBlob(paths.other)];
  // The code the program links is A's; B's blob must fit it as well.
  for (const [file, text] of generate(a.compiled).files) writeFileSync(join(dir, file), text);

  const input = Uint8Array.from({ length: a.inputBytes }, (_, i) => (i * 37 + 11) & 255);
  const expected = (c: Compiled) => valuesToRecord(runReference(c.graph, recordToValues(c.graph, c.graph.inputs, input)).outputs);
  const [expectedA, expectedB] = [expected(a.compiled), expected(b.compiled)];
  const main = `#include <stdio.h>
#include <string.h>

#include "net.h"

${bytes('blob_a', a.blob)}
${bytes('blob_b', b.blob)}
${bytes('blob_other', other.blob)}
${bytes('input', input, 'int8_t')}
${bytes('expected_a', expectedA, 'int8_t')}
${bytes('expected_b', expectedB, 'int8_t')}
static uint8_t scratch[sizeof blob_a + 16] __attribute__((aligned(16)));
static int8_t output[NET_OUTPUT_BYTES];

#define CHECK(condition, what) do { if (!(condition)) { printf("weights swap: FAILED: %s\\n", what); return 1; } } while (0)

static int outputs_are(const int8_t *expected)
{
    memset(output, 0, sizeof output);
    return net_run(input, output) == 0 && memcmp(output, expected, sizeof output) == 0;
}

/* A copy of A's blob with one byte changed, bound from the scratch buffer. */
static int bind_changed(unsigned at, uint8_t value)
{
    memcpy(scratch, blob_a, sizeof blob_a);
    scratch[at] = value;
    return net_bind_weights(scratch, sizeof blob_a);
}

int main(void)
{
    CHECK(net_run(input, output) == -2, "a run before any blob is bound returns -2");
    CHECK(net_bind_weights(blob_a, sizeof blob_a) == NET_WEIGHTS_OK, "A's blob binds");
    CHECK(outputs_are(expected_a), "A's outputs are the reference's for A");
    CHECK(net_bind_weights(blob_b, sizeof blob_b) == NET_WEIGHTS_OK, "B's blob binds to the same code");
    CHECK(outputs_are(expected_b), "B's outputs are the reference's for B");

    CHECK(bind_changed(80u + 5u, (uint8_t)(blob_a[80 + 5] ^ 0x01u)) == NET_WEIGHTS_CORRUPT, "a flipped payload bit is CORRUPT");
    CHECK(bind_changed(40u, (uint8_t)(blob_a[40] ^ 0x80u)) == NET_WEIGHTS_CORRUPT, "a flipped bit of the header's SHA-256 is CORRUPT");
    CHECK(bind_changed(0u, 'X') == NET_WEIGHTS_BAD_MAGIC, "another magic is BAD_MAGIC");
    CHECK(bind_changed(4u, 2u) == NET_WEIGHTS_BAD_VERSION, "format version 2 is BAD_VERSION");
    CHECK(bind_changed(72u, (uint8_t)(blob_a[72] + 16u)) == NET_WEIGHTS_WRONG_SIZE, "another payload size is WRONG_SIZE");
    CHECK(net_bind_weights(blob_a, sizeof blob_a - 1u) == NET_WEIGHTS_TRUNCATED, "a blob one byte short is TRUNCATED");
    CHECK(net_bind_weights(blob_a, 40u) == NET_WEIGHTS_TRUNCATED, "half a header is TRUNCATED");
    CHECK(net_bind_weights(blob_other, sizeof blob_other) == NET_WEIGHTS_WRONG_ARCHITECTURE, "another model's blob is WRONG_ARCHITECTURE");
    memcpy(scratch + 1, blob_a, sizeof blob_a - 1u);
    CHECK(net_bind_weights(scratch + 1, sizeof blob_a) == NET_WEIGHTS_MISALIGNED, "a blob off a 16-byte boundary is MISALIGNED");
    CHECK(net_bind_weights(NULL, 0u) == NET_WEIGHTS_NULL, "no blob is NULL");
    CHECK(outputs_are(expected_b), "after every refusal, B's blob is still the one bound");

    CHECK(net_bind_weights(blob_a, sizeof blob_a) == NET_WEIGHTS_OK && outputs_are(expected_a), "A's blob binds again");
    printf("weights swap: ok\\n");
    return 0;
}
`;
  writeFileSync(join(dir, 'main.c'), main);
  return { sources: [join(dir, 'main.c'), join(dir, 'net.c')], blobs: { a: a.blob, b: b.blob, other: other.blob }, code: { a: a.source, b: b.source } };
}
