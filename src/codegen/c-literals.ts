/** Exact, deterministic C spellings of constants. */

/** A constant C cannot spell as a float: an infinity or NaN, from scales whose ratio overflows float32. */
export class NonFiniteConstantError extends Error {
  constructor(readonly value: number) {
    super(`a compile-time float constant is ${value}`);
  }
}

/** A float32 value as a C99 hexadecimal literal, so the C compiler reads back the same bits. */
export function cFloat(value: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  const bits = view.getUint32(0);
  const sign = bits >>> 31 ? '-' : '';
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) throw new NonFiniteConstantError(value);
  if (exponent === 0 && mantissa === 0) return `${sign}0.0f`;
  const digits = (mantissa << 1).toString(16).padStart(6, '0');
  return exponent === 0 ? `${sign}0x0.${digits}p-126f` : `${sign}0x1.${digits}p${exponent - 127}f`;
}

/** An integer as C source; INT32_MIN needs spelling as an expression. */
export function cInt(value: number): string {
  return value === -2147483648 ? '(-2147483647 - 1)' : String(value);
}

/** Array initializer body, wrapped at a fixed number of values per line. */
export function cArrayBody(values: ArrayLike<number>, format: (v: number) => string, perLine = 16): string {
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
