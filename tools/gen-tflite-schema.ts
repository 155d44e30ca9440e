/**
 * Writes src/frontend/tflite/schema-generated.ts from TensorFlow Lite's FlatBuffer schema: every
 * enum and union as a constant object, and every table as its fields' ids, types and defaults.
 * The output is committed; neither the build nor the tests run this script. Rerun it only to move
 * to another schema version (then update PINNED):
 *
 *   git -C tflite-micro show <commit>:tensorflow/compiler/mlir/lite/schema/schema.fbs > schema.fbs
 *   npx tsx tools/gen-tflite-schema.ts schema.fbs
 *
 * The parser covers the FlatBuffers IDL that schema.fbs uses (namespace, file_identifier,
 * file_extension, root_type, enum, union, table; field attributes; defaults) and stops on
 * anything else, such as a struct or an explicit field id, rather than guess.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The schema version the committed output comes from. */
const PINNED = {
  repository: 'github.com/tensorflow/tflite-micro',
  commit: 'e142972d4f4382f77faa8212b7c70b37d28b9cb9',
  path: 'tensorflow/compiler/mlir/lite/schema/schema.fbs',
  blob: '99278b6b08066065881efa7692b08a5108ecd32c',
};

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'frontend', 'tflite', 'schema-generated.ts');

/** FlatBuffers scalar type names (and their aliases) → the names flat-reader.ts uses. */
const SCALARS: Record<string, string> = {
  bool: 'bool',
  byte: 'int8',
  int8: 'int8',
  ubyte: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  long: 'int64',
  int64: 'int64',
  ulong: 'uint64',
  uint64: 'uint64',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

interface EnumDecl {
  kind: 'enum' | 'union';
  name: string;
  /** The underlying scalar type; a union's tag is a ubyte. */
  type: string;
  values: [string, number][];
}

interface FieldDecl {
  name: string;
  /** The declared type: a scalar, string, an enum, union or table name, or [element]. */
  type: string;
  attributes: string[];
  defaultValue?: string;
}

interface TableDecl {
  name: string;
  fields: FieldDecl[];
}

function fail(message: string): never {
  throw new Error(`schema.fbs: ${message}`);
}

/** Splits the schema into top-level declarations, comments removed. */
function declarations(text: string): string[] {
  const source = text.replace(/\/\/[^\n]*/g, '');
  const out: string[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const blank = /^\s+/.exec(rest);
    if (blank) {
      at += blank[0].length;
      continue;
    }
    // A declaration ends at its ';' or at the '}' closing its body.
    const semicolon = rest.indexOf(';');
    const brace = rest.indexOf('{');
    const end = brace !== -1 && (semicolon === -1 || brace < semicolon) ? rest.indexOf('}', brace) + 1 : semicolon + 1;
    if (end <= 0) fail(`unterminated declaration at "${rest.slice(0, 40)}"`);
    out.push(rest.slice(0, end).trim());
    at += end;
  }
  return out;
}

function parseAttributes(text: string | undefined): string[] {
  return text ? text.split(',').map((a) => a.trim()).filter(Boolean) : [];
}

function parseEnum(kind: 'enum' | 'union', head: string, body: string): EnumDecl {
  const match = kind === 'enum' ? /^enum\s+(\w+)\s*:\s*(\w+)\s*(\([^)]*\))?$/.exec(head) : /^union\s+(\w+)\s*(\([^)]*\))?$/.exec(head);
  if (!match) fail(`cannot read "${head}"`);
  const name = match[1]!;
  const type = kind === 'enum' ? (SCALARS[match[2]!] ?? fail(`enum ${name} has type ${match[2]}`)) : 'uint8';
  const attributes = parseAttributes((kind === 'enum' ? match[3] : match[2])?.slice(1, -1));
  if (attributes.length) fail(`${name} has attributes (${attributes.join(', ')}) this parser does not handle`);
  const values: [string, number][] = kind === 'union' ? [['NONE', 0]] : [];
  let next = kind === 'union' ? 1 : 0;
  for (const entry of body.split(',').map((e) => e.trim()).filter(Boolean)) {
    const value = /^(\w+)\s*(?:=\s*(-?\d+))?\s*(?:\(([^)]*)\))?$/.exec(entry);
    if (!value) fail(`${name}: cannot read "${entry}"`);
    if (value[2] !== undefined) {
      if (kind === 'union') fail(`${name}: explicit union tags are not handled`);
      next = Number(value[2]);
    }
    if (parseAttributes(value[3]).some((a) => a !== 'deprecated')) fail(`${name}.${value[1]}: unknown attribute`);
    values.push([value[1]!, next++]);
  }
  return { kind, name, type, values };
}

function parseTable(head: string, body: string): TableDecl {
  const match = /^table\s+(\w+)\s*(\([^)]*\))?$/.exec(head);
  if (!match) fail(`cannot read "${head}"`);
  const fields = body
    .split(';')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f): FieldDecl => {
      const field = /^(\w+)\s*:\s*(\[?\s*\w+\s*\]?)\s*(?:=\s*([\w.+-]+))?\s*(?:\(([^)]*)\))?$/.exec(f);
      if (!field) fail(`${match[1]}: cannot read field "${f}"`);
      const attributes = parseAttributes(field[4]);
      for (const a of attributes) if (!/^(deprecated|force_align:\s*\d+)$/.test(a)) fail(`${match[1]}.${field[1]}: attribute "${a}" is not handled`);
      return { name: field[1]!, type: field[2]!.replace(/\s+/g, ''), attributes, ...(field[3] !== undefined ? { defaultValue: field[3] } : {}) };
    });
  return { name: match[1]!, fields };
}

function parse(text: string): { enums: EnumDecl[]; tables: TableDecl[]; identifier: string } {
  const enums: EnumDecl[] = [];
  const tables: TableDecl[] = [];
  let identifier = '';
  for (const decl of declarations(text)) {
    const body = /^([^{]*)\{([\s\S]*)\}$/.exec(decl);
    if (body) {
      const head = body[1]!.trim().replace(/\s+/g, ' ');
      if (head.startsWith('enum ')) enums.push(parseEnum('enum', head, body[2]!));
      else if (head.startsWith('union ')) enums.push(parseEnum('union', head, body[2]!));
      else if (head.startsWith('table ')) tables.push(parseTable(head, body[2]!));
      else fail(`"${head}" is not handled`);
      continue;
    }
    const fileIdentifier = /^file_identifier\s+"(\w+)"\s*;$/.exec(decl);
    if (fileIdentifier) identifier = fileIdentifier[1]!;
    else if (!/^(namespace|file_extension|root_type)\s/.test(decl)) fail(`"${decl}" is not handled`);
  }
  return { enums, tables, identifier };
}

const camel = (name: string) => name.replace(/_([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/** One table's fields as `name: { id, type, ... }`, ids in declaration order (a union takes two). */
function tableFields(table: TableDecl, enums: Map<string, EnumDecl>, tableNames: Set<string>): string[] {
  const out: string[] = [];
  let id = 0;
  for (const field of table.fields) {
    const deprecated = field.attributes.includes('deprecated');
    const vector = field.type.startsWith('[');
    const base = vector ? field.type.slice(1, -1) : field.type;
    const where = `${table.name}.${field.name}`;
    const enumDecl = enums.get(base);
    const props: string[] = [];
    if (enumDecl?.kind === 'union') {
      if (vector) fail(`${where}: vectors of unions are not handled`);
      if (!deprecated) out.push(`${camel(field.name)}Type: { id: ${id}, type: 'uint8', enum: '${base}' }`);
      id++;
      props.push(`type: 'union'`, `union: '${base}'`);
    } else if (enumDecl) {
      props.push(`type: '${vector ? `[${enumDecl.type}]` : enumDecl.type}'`, `enum: '${base}'`);
    } else if (SCALARS[base] || base === 'string') {
      const type = SCALARS[base] ?? base;
      props.push(`type: '${vector ? `[${type}]` : type}'`);
    } else if (tableNames.has(base)) {
      props.push(`type: '${vector ? '[table]' : 'table'}'`, `table: '${base}'`);
    } else {
      fail(`${where}: unknown type ${base}`);
    }
    if (field.defaultValue !== undefined) {
      if (vector || base === 'string' || tableNames.has(base)) fail(`${where}: a default on a non-scalar`);
      const d = field.defaultValue;
      const value = d === 'true' ? 1 : d === 'false' ? 0 : /^-?[\d.]+(e-?\d+)?$/i.test(d) ? Number(d) : enumDecl?.values.find(([n]) => n === d)?.[1];
      if (value === undefined || Number.isNaN(value)) fail(`${where}: cannot read the default ${d}`);
      if (value !== 0) props.push(`default: ${value}`);
    }
    if (!deprecated) out.push(`${camel(field.name)}: { id: ${id}, ${props.join(', ')} }`);
    id++;
  }
  return out;
}

function generate(text: string): string {
  const { enums, tables, identifier } = parse(text);
  const enumMap = new Map(enums.map((e) => [e.name, e]));
  const tableNames = new Set(tables.map((t) => t.name));
  const lines = [
    '/**',
    ' * GENERATED by tools/gen-tflite-schema.ts; do not edit. TensorFlow Lite\'s FlatBuffer schema as data:',
    ' * every enum and union, and every table\'s fields by schema id (a union field takes two ids, its',
    ' * `…Type` tag and its value; deprecated fields keep their ids and are left out), with their types',
    ' * and non-zero defaults. Field names are the schema\'s, in camelCase.',
    ' *',
    ` * Source: ${PINNED.repository}, commit ${PINNED.commit},`,
    ` * ${PINNED.path} (git blob ${PINNED.blob}).`,
    ' * Derived from that file, Copyright The TensorFlow Authors, licensed under the Apache License,',
    ' * Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).',
    ' */',
    "import type { FieldSpec } from './flat-reader.ts';",
    '',
    `export const FILE_IDENTIFIER = '${identifier}';`,
    '',
  ];
  for (const e of enums) {
    lines.push(`/** ${e.kind} ${e.name}${e.kind === 'enum' ? ` : ${e.type}` : ''}. */`);
    lines.push(`export const ${e.name} = {`, ...e.values.map(([name, value]) => `  ${name}: ${value},`), '} as const;', '');
  }
  lines.push('/** Every table: its fields by name. */', 'export const TABLES = {');
  for (const table of tables) {
    const fields = tableFields(table, enumMap, tableNames);
    if (fields.length === 0) lines.push(`  ${table.name}: {},`);
    else lines.push(`  ${table.name}: {`, ...fields.map((f) => `    ${f},`), '  },');
  }
  lines.push('} as const satisfies Record<string, Record<string, FieldSpec>>;', '');
  return lines.join('\n');
}

const input = process.argv[2];
if (!input) {
  console.error('usage: npx tsx tools/gen-tflite-schema.ts <schema.fbs>');
  process.exit(2);
}
const bytes = readFileSync(input);
const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
if (blob !== PINNED.blob) {
  console.error(`${input} is git blob ${blob}, not the pinned ${PINNED.blob}; update PINNED to the commit it comes from`);
  process.exit(2);
}
writeFileSync(OUTPUT, generate(bytes.toString('utf8')));
console.log(`wrote ${OUTPUT}`);
