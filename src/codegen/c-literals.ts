/** Exact, deterministic C spellings of constants. */

/** A constant C cannot spell as a float: an infinity or NaN, from scales whose ratio overflows float32. */
export class NonFiniteConstantError extends Error {
  constructor(readonly value: number) {
    super(`a compile-time float constant is ${value}`);
  }
}

/**
 * A float32 value as a decimal literal that C and C++ (which has no hexadecimal floats before
 * C++17) read back as the same bits: the shortest decimal that reads back as the value in double
 * precision (float32 values are exact doubles). It lies within 2^-53 of the value, far closer than
 * the half unit of a float32 that separates it from a rounding boundary, so a compiler's correctly
 * rounded float conversion lands on the value.
 */
export function cFloat(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single)) throw new NonFiniteConstantError(value);
  if (single === 0) return Object.is(single, -0) ? '-0.0f' : '0.0f';
  const text = String(single);
  return `${/[.e]/.test(text) ? text : `${text}.0`}f`;
}

/** An integer as C source; INT32_MIN needs spelling as an expression. */
export function cInt(value: number): string {
  return value === -2147483648 ? '(-2147483647 - 1)' : String(value);
}

/** An int64 as C source: INT64_C for the width, INT64_MIN as an expression. */
export function cInt64(value: bigint): string {
  return value === -(2n ** 63n) ? '(-INT64_C(9223372036854775807) - 1)' : `INT64_C(${value})`;
}

/** Array initializer body, wrapped at a fixed number of values per line. */
export function cArrayBody<T extends number | bigint>(values: ArrayLike<T>, format: (v: T) => string, perLine = 16): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(values.length, i + perLine); j++) row.push(format(values[j]!));
    lines.push(`  ${row.join(', ')},`);
  }
  return lines.join('\n');
}

/** A C identifier derived from any string. */
export function cIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * Text from a model file (tensor and node names, file names) made safe inside a C comment: no
 * control characters (a newline would end a // line or let the rest escape), no invisible format
 * characters (bidi overrides reorder how the source reads, and gcc's -Wbidi-chars rejects them),
 * no line or paragraph separators, and no comment start or end.
 */
export function cCommentText(text: string): string {
  // "/*" too: inside a comment gcc's -Wcomment (in -Wall) warns of it.
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
}
