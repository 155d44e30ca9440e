/** Byte-level mutations, the same for every format: flips, inserts, deletes, truncation, magic values. */
import type { Rng } from './random.ts';

const MAGIC_32 = [0, 1, 0xff, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0x100];

export function mutateBytes(input: Uint8Array, rng: Rng): { bytes: Uint8Array; what: string } {
  const bytes = new Uint8Array(input);
  const n = bytes.length;
  if (n === 0) return { bytes, what: 'empty' };
  switch (rng.int(6)) {
    case 0: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) bytes[rng.int(n)]! ^= 1 << rng.int(8);
      return { bytes, what: `flip ${flips} bits` };
    }
    case 1: {
      const at = rng.int(n + 1);
      const inserted = Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
      const out = new Uint8Array(n + inserted.length);
      out.set(bytes.subarray(0, at));
      out.set(inserted, at);
      out.set(bytes.subarray(at), at + inserted.length);
      return { bytes: out, what: `insert ${inserted.length} bytes at ${at}` };
    }
    case 2: {
      const at = rng.int(n);
      const count = Math.min(n - at, 1 + rng.int(32));
      const out = new Uint8Array(n - count);
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(at + count), at);
      return { bytes: out, what: `delete ${count} bytes at ${at}` };
    }
    case 3: {
      const length = rng.int(n);
      return { bytes: bytes.slice(0, length), what: `truncate to ${length}` };
    }
    case 4: {
      // A 32-bit magic value at an aligned offset: in a flatbuffer that lands on offsets, lengths,
      // vector sizes and scalar fields.
      const at = Math.min(n - 4, rng.int(n >> 2) * 4);
      if (at < 0) return { bytes, what: 'too short' };
      const value = rng.pick(MAGIC_32);
      new DataView(bytes.buffer).setUint32(at, value, true);
      return { bytes, what: `u32 ${value} at ${at}` };
    }
    default: {
      const at = rng.int(n);
      bytes[at] = rng.pick([0, 0x7f, 0x80, 0xff]);
      return { bytes, what: `byte ${bytes[at]} at ${at}` };
    }
  }
}
