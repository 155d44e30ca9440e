/**
 * Weights as a separate blob (`--weights blob`): the model's constants leave the C and go into a
 * binary file that firmware binds at run time (<name>_bind_weights), so a field update can replace
 * the weights of the same code without reflashing it. The header (tinygen_kernels.h and
 * firmware/kernels/tg_weights.c read it on the device):
 *
 *   0  magic "TGWB"            4  format version (u32)     8  architecture hash (SHA-256, 32 bytes)
 *   40 payload SHA-256 (32)   72 payload bytes (u32)      76 CRC-32 of bytes 0..75 and the payload
 *   80 payload: each constant array at a 16-byte boundary, little-endian
 *
 * The architecture hash is the SHA-256 of the model's generated C with the model file's stamp left
 * out: whatever the code assumes (shapes, offsets into the payload, zero points, the constants it
 * folds) is in that text, so a blob binds only to code that reads it the same way.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { CTYPE_BYTES, type ConstValues, type CType } from '../ops/op.ts';

export type WeightsPlacement = 'embedded' | 'blob';
export const WEIGHTS_PLACEMENTS: readonly WeightsPlacement[] = ['embedded', 'blob'];

/** The blob's file name beside <name>.c. */
export const weightsBlobFile = (name: string): string => `${name}.weights.bin`;

export const WEIGHTS_HEADER_BYTES = 80;
const WEIGHTS_FORMAT_VERSION = 1;
/** Every array of the payload starts at a multiple of this, and so must the blob in memory. */
const WEIGHTS_ALIGNMENT = 16;

/** <NAME>_bind_weights's results: the same numbers as tinygen_kernels.h's TG_WEIGHTS_*. */
export const WEIGHTS_RESULTS: readonly { name: string; value: number; meaning: string }[] = [
  { name: 'OK', value: 0, meaning: 'bound: the runs use these weights from now on' },
  { name: 'NULL', value: -1, meaning: 'no blob given' },
  { name: 'MISALIGNED', value: -2, meaning: 'the blob does not start at a 16-byte boundary' },
  { name: 'TRUNCATED', value: -3, meaning: 'shorter than its header and payload' },
  { name: 'BAD_MAGIC', value: -4, meaning: 'not a tinygen weights blob' },
  { name: 'BAD_VERSION', value: -5, meaning: 'a blob format this code does not read' },
  { name: 'WRONG_ARCHITECTURE', value: -6, meaning: 'made for other code (another model, or other quantization)' },
  { name: 'WRONG_SIZE', value: -7, meaning: 'its payload is not the size this code reads' },
  { name: 'CORRUPT', value: -8, meaning: 'the CRC-32 does not match: damaged in storage or in transfer' },
];

/** The payload, built array by array as the code generator declares constants. */
export class WeightsPayload {
  private readonly arrays: { offset: number; ctype: CType; values: ConstValues }[] = [];
  private end = 0;

  /** Places an array and returns its byte offset in the payload. */
  add(ctype: CType, values: ConstValues): number {
    const offset = Math.ceil(this.end / WEIGHTS_ALIGNMENT) * WEIGHTS_ALIGNMENT;
    this.arrays.push({ offset, ctype, values });
    this.end = offset + values.length * CTYPE_BYTES[ctype];
    return offset;
  }

  get bytes(): number {
    return this.end;
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(this.end);
    const view = new DataView(bytes.buffer);
    for (const { offset, ctype, values } of this.arrays) {
      if (values instanceof BigInt64Array) {
        values.forEach((v, i) => view.setBigInt64(offset + 8 * i, v, true));
        continue;
      }
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (ctype === 'int8_t') view.setInt8(offset + i, v);
        else if (ctype === 'uint8_t') view.setUint8(offset + i, v);
        else if (ctype === 'int16_t') view.setInt16(offset + 2 * i, v, true);
        else if (ctype === 'int32_t') view.setInt32(offset + 4 * i, v, true);
        else view.setFloat32(offset + 4 * i, v, true);
      }
    }
    return bytes;
  }
}

export function architectureHash(code: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(code).digest());
}

/** The blob file: header, then the payload. */
export function weightsBlob(payload: Uint8Array, architecture: Uint8Array): Uint8Array {
  const blob = new Uint8Array(WEIGHTS_HEADER_BYTES + payload.length);
  const view = new DataView(blob.buffer);
  blob.set([0x54, 0x47, 0x57, 0x42], 0); // "TGWB"
  view.setUint32(4, WEIGHTS_FORMAT_VERSION, true);
  blob.set(architecture, 8);
  blob.set(createHash('sha256').update(payload).digest(), 40);
  view.setUint32(72, payload.length, true);
  blob.set(payload, WEIGHTS_HEADER_BYTES);
  view.setUint32(76, crc32(payload, crc32(blob.subarray(0, 76))), true);
  return blob;
}
