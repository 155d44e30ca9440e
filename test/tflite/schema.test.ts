/**
 * The TFLite schema data (src/frontend/tflite/schema-generated.ts, from tools/gen-tflite-schema.ts)
 * against an independent decode of the same files: flatc, compiling TFLite's schema.fbs itself,
 * turned TFLM's three models into JSON (fixtures/tflm-models.flatc.json; its _source says how).
 * tinygen's reader, going through the generated field ids, types, defaults, union tags and enum
 * values, must read every field flatc printed, with the same value.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/paths.ts';
import * as generated from '../../src/frontend/tflite/schema-generated.ts';
import { TfliteModel, builtinOperatorName, isValueField, TABLES, type OptionsName } from '../../src/frontend/tflite/schema.ts';
import type { FieldSpec } from '../../src/frontend/tflite/flat-reader.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'tflm-models.flatc.json'), 'utf8')) as JsonObject;
const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'person_detect'];

const enums = generated as unknown as Record<string, Record<string, number>>;
const enumName = (enumType: string, value: number) => Object.entries(enums[enumType]!).find(([, v]) => v === value)?.[0];
const camel = (name: string) => name.replace(/_([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
const obj = (value: Json | undefined) => value as JsonObject;
const list = (value: Json | undefined) => value as Json[];

/** flatc prints floats with six decimals. */
function expectSame(ours: unknown, flatc: Json | undefined, where: string): void {
  if (Array.isArray(flatc)) {
    const values = ours instanceof Uint8Array ? [...ours] : (ours as unknown[]);
    expect(values.length, where).toBe(flatc.length);
    flatc.forEach((v, i) => expectSame(values[i], v, `${where}[${i}]`));
  } else if (typeof flatc === 'number' && typeof ours === 'number' && !Number.isInteger(flatc)) {
    expect(Math.abs(ours - flatc), where).toBeLessThanOrEqual(5e-7 + Math.abs(flatc) * 1e-6);
  } else {
    expect(typeof ours === 'bigint' ? Number(ours) : ours, where).toEqual(flatc);
  }
}

/** Every field flatc printed for table `table`, read by tinygen through the generated field spec. */
function expectFields(table: Record<string, FieldSpec>, read: (field: FieldSpec, key: string) => unknown, flatc: JsonObject, where: string): void {
  for (const [key, value] of Object.entries(flatc)) {
    const field = table[camel(key)];
    expect(field, `${where}.${key} is in the generated schema`).toBeDefined();
    if (!field || !isValueField(field)) continue;
    const ours = read(field, camel(key));
    if (field.enum && typeof value === 'string') expect(enumName(field.enum, ours as number), `${where}.${key}`).toBe(value);
    else expectSame(ours, value, `${where}.${key}`);
  }
}

describe.each(MODELS)('the generated TFLite schema reads %s as flatc does', (name) => {
  const model = TfliteModel.fromBytes(new Uint8Array(readFileSync(join(SHARED, 'conformance', 'tflite', name, 'model.tflite'))));
  const expected = obj(fixture[name]);
  const subgraph = model.subgraphs[0]!;
  const flatcSubgraph = obj(list(expected.subgraphs)[0]);

  it('the model version, operator codes and buffer sizes', () => {
    expect(model.version).toBe(expected.version);
    const codes = list(expected.operator_codes).map(obj);
    expect(model.operatorCodes.length).toBe(codes.length);
    model.operatorCodes.forEach((code, i) => {
      expectFields(TABLES.OperatorCode, (f) => code.read(f), codes[i]!, `operator code ${i}`);
      // Older writers fill only the deprecated int8 code; flatc prints builtin_code's default, ADD, for them.
      const flatcCode = Math.max(generated.BuiltinOperator[codes[i]!.builtin_code as keyof typeof generated.BuiltinOperator], codes[i]!.deprecated_builtin_code as number);
      expect(builtinOperatorName(code.code)).toBe(builtinOperatorName(flatcCode));
    });
    expect(model.buffers.map((b) => b.data.length)).toEqual(list(expected.buffers).map((b) => obj(b).size));
  });

  it('every tensor: shape, type, buffer, name and quantization', () => {
    const tensors = list(flatcSubgraph.tensors).map(obj);
    expect(subgraph.tensors.length).toBe(tensors.length);
    subgraph.tensors.forEach((tensor, i) => {
      const { quantization, ...fields } = tensors[i]!;
      expectFields(TABLES.Tensor, (f) => tensor.read(f), fields, `tensor ${i}`);
      const quant = tensor.quantization;
      expect(quant === undefined, `tensor ${i} quantization`).toBe(quantization === undefined);
      if (quant && quantization) expectFields(TABLES.QuantizationParameters, (f) => quant.read(f), obj(quantization), `tensor ${i} quantization`);
    });
    expect(subgraph.inputs).toEqual(flatcSubgraph.inputs);
    expect(subgraph.outputs).toEqual(flatcSubgraph.outputs);
  });

  it('every operator: its fields, options union tag and every options field (defaults included)', () => {
    const operators = list(flatcSubgraph.operators).map(obj);
    expect(subgraph.operators.length).toBe(operators.length);
    subgraph.operators.forEach((operator, i) => {
      const { builtin_options: options, ...fields } = operators[i]!;
      expectFields(TABLES.Operator, (f) => operator.read(f), fields, `operator ${i}`);
      const optionsName = fields.builtin_options_type as OptionsName;
      const ours = operator.options(optionsName)!;
      expect(ours, `operator ${i} ${optionsName}`).toBeDefined();
      const values = ours as Record<string, unknown>;
      expectFields(TABLES[optionsName], (_, key) => values[key], obj(options), `operator ${i} ${optionsName}`);
      // flatc prints every scalar with --defaults-json: the reader has no scalar flatc lacks.
      const printed = new Set(Object.keys(obj(options)).map(camel));
      const scalars = Object.entries<FieldSpec>(TABLES[optionsName]).filter(([, field]) => isValueField(field) && !field.type.startsWith('[') && field.type !== 'string');
      for (const [key] of scalars) expect(printed.has(key), `${optionsName}.${key}`).toBe(true);
    });
  });
});
