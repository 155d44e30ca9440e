/**
 * The validation matrix: several models on several boards in one command, run side by side, with
 * JSON and JUnit reports; a cell that hangs, crashes or does not build is reported as failed while
 * the others still run and pass, and the exit code says so.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMatrix, resolveBoards, type CellReport, type MatrixReport } from '../../src/validate/matrix.ts';
import { matrixJunit } from '../../src/validate/junit.ts';
import { BOARDS_DIR } from '../../src/boards/board.ts';
import { MODELS } from '../helpers/paths.ts';
import { tinygen } from '../helpers/cli.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-matrix-'));
const QOP = join(MODELS, 'tiny_cnn_qop.onnx');
const U8_QDQ = join(MODELS, 'tiny_cnn_u8_qdq.onnx');
/**
 * Output bytes per inference, as ONNX Runtime reports the models' outputs: tiny_cnn_qop gives int8
 * [1, 6] (6 bytes), tiny_cnn_u8_qdq ends in DequantizeLinear and gives float32 [1, 6] (24 bytes).
 */
const OUTPUT_BYTES = { [QOP]: 6, [U8_QDQ]: 24 } as Record<string, number>;

// ---- A minimal XML reader: enough to count elements and read attributes, and to reject malformed text.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function unescapeXml(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}

function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length) {
    token.lastIndex = pos;
    m = token.exec(body);
    if (!m) throw new Error(`malformed XML at ${pos}: ${body.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const [, close, name, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);)/i.test(text)) throw new Error(`unescaped & in ${text}`);
      top.text += unescapeXml(text);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([\w.-]+)="([^"]*)"/g)) attrs[a[1]!] = unescapeXml(a[2]!);
      const element: XmlElement = { name: name!, attrs, children: [], text: '' };
      top.children.push(element);
      if (!selfClose) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0]!;
}

function all(e: XmlElement, name: string): XmlElement[] {
  return e.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
}

/** The board files in boards/ that name a QEMU machine, read straight from the JSON. */
function qemuBoardIdsFromFiles(): string[] {
  return readdirSync(BOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => (JSON.parse(readFileSync(join(BOARDS_DIR, f), 'utf8')) as { qemu?: unknown }).qemu !== undefined)
    .map((f) => f.slice(0, -5))
    .sort();
}

/** mps2-an385's board file with a flash far too small for any model: the build of its cells must fail. */
function tinyFlashBoard(): string {
  const board = JSON.parse(readFileSync(join(BOARDS_DIR, 'mps2-an385.json'), 'utf8')) as {
    id: string;
    memory: { kind: string; length: string | number }[];
  };
  board.id = 'tiny-flash';
  for (const region of board.memory) if (region.kind === 'flash') region.length = '8K';
  const file = join(dir, 'tiny-flash.json');
  writeFileSync(file, JSON.stringify(board, null, 2));
  return file;
}

function cellOf(report: MatrixReport, model: string, board: string, rounding?: string): CellReport {
  const cell = report.cells.find((c) => c.model === model && c.board === board && (rounding === undefined || c.rounding === rounding));
  expect(cell, `${model} on ${board}`).toBeDefined();
  return cell!;
}

describe.concurrent('tinygen validate: a matrix of models × boards', () => {
  it('2 models × 2 boards pass, with JSON and JUnit reports', async () => {
    const boards = ['mps2-an386', 'mps2-an385'];
    const json = join(dir, 'reports', 'matrix.json');
    const junit = join(dir, 'reports', 'matrix.xml');
    const result = await tinygen(['validate', QOP, U8_QDQ, '--board', boards[0]!, '--board', boards[1]!, '--inputs', '3', '--report-json', json, '--junit', junit, '--json']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);

    const report = JSON.parse(readFileSync(json, 'utf8')) as MatrixReport;
    expect(JSON.parse(result.stdout)).toEqual(report);
    expect(report.passed).toBe(true);
    expect(report.summary).toEqual({ cells: 4, passed: 4, failed: 0 });
    expect(report.cells).toHaveLength(4);
    for (const model of [QOP, U8_QDQ]) {
      for (const board of boards) {
        const cell = cellOf(report, model, board);
        expect(cell.passed).toBe(true);
        expect(cell.rounding).toBe('onnx');
        expect(cell.inputs).toBe(3);
        expect(cell.bytesCompared).toBe(3 * OUTPUT_BYTES[model]!);
        expect(cell.mismatchCount).toBe(0);
        expect(cell.failure).toBeUndefined();
        expect(cell.wallMs).toBeGreaterThan(0);
        expect(cell.flashBytes).toBeGreaterThan(1000);
        expect(cell.ramBytes).toBeGreaterThan(1000);
      }
    }

    const xml = parseXml(readFileSync(junit, 'utf8'));
    expect(xml.name).toBe('testsuites');
    expect(xml.attrs.tests).toBe('4');
    expect(xml.attrs.failures).toBe('0');
    const suites = all(xml, 'testsuite');
    expect(suites.map((s) => s.attrs.name).sort()).toEqual([...boards].sort());
    for (const suite of suites) {
      expect(suite.attrs.tests).toBe('2');
      expect(all(suite, 'testcase')).toHaveLength(2);
    }
    expect(all(xml, 'testcase')).toHaveLength(4);
    expect(all(xml, 'failure')).toHaveLength(0);
  });

  // Alone: its cells' timeout is short (1.5 s), so the file's other tests do not run beside it.
  it.sequential('a hung firmware and a broken build fail their cells; the other cells still run and pass', async () => {
    const timeoutMs = 1500;
    const report = await runMatrix({
      models: [QOP],
      boards: ['mps2-an386', 'mps2-an385'],
      roundings: ['onnx', 'tflite'],
      inputs: 3,
      jobs: 2,
      timeoutMs,
      mutateSources(cell, files) {
        const source = files.get('harness_model.c')!;
        if (cell.board === 'mps2-an385' && cell.rounding === 'onnx') {
          // The firmware never returns from its first inference.
          const hung = source.replace(/int harness_run\([^)]*\)\s*\{/, (head) => `${head}\n    for (;;) { __asm__ volatile(""); }`);
          expect(hung).not.toBe(source);
          files.set('harness_model.c', hung);
        }
        if (cell.board === 'mps2-an386' && cell.rounding === 'tflite') files.set('harness_model.c', `#error "broken on purpose"\n${source}`);
      },
    });
    expect(report.summary).toEqual({ cells: 4, passed: 2, failed: 2 });
    expect(report.passed).toBe(false);

    const hung = cellOf(report, QOP, 'mps2-an385', 'onnx');
    expect(hung.passed).toBe(false);
    expect(hung.failureKind).toBe('timeout');
    expect(hung.failure).toMatch(new RegExp(`did not finish within ${timeoutMs} ms`));
    expect(hung.wallMs).toBeGreaterThanOrEqual(timeoutMs);

    const broken = cellOf(report, QOP, 'mps2-an386', 'tflite');
    expect(broken.passed).toBe(false);
    expect(broken.failureKind).toBe('build');
    expect(broken.failure).toMatch(/failed to compile .*harness_model\.c.*broken on purpose/);
    expect(broken.flashBytes).toBeNull();

    for (const [board, rounding] of [['mps2-an386', 'onnx'], ['mps2-an385', 'tflite']] as const) {
      const cell = cellOf(report, QOP, board, rounding);
      expect(cell.passed, `${board} ${rounding}: ${cell.failure}`).toBe(true);
      expect(cell.bytesCompared).toBe(3 * OUTPUT_BYTES[QOP]!);
    }

    // JUnit: the two failures, with their reasons, in the right suites.
    const xml = parseXml(matrixJunit(report));
    expect(xml.attrs.tests).toBe('4');
    expect(xml.attrs.failures).toBe('2');
    const failures = all(xml, 'testcase').filter((t) => all(t, 'failure').length > 0);
    expect(failures.map((t) => `${t.attrs.classname} ${t.attrs.name}`).sort()).toEqual([
      'tinygen.validate.mps2-an385 tiny_cnn_qop.onnx (onnx)',
      'tinygen.validate.mps2-an386 tiny_cnn_qop.onnx (tflite)',
    ]);
    const [timeoutFailure] = all(failures.find((t) => t.attrs.classname!.endsWith('an385'))!, 'failure');
    expect(timeoutFailure!.attrs.type).toBe('timeout');
    expect(timeoutFailure!.attrs.message).toMatch(/did not finish within/);
    // The compiler's message quotes the source: quotes and the like must arrive intact.
    const [buildFailure] = all(failures.find((t) => t.attrs.classname!.endsWith('an386'))!, 'failure');
    expect(buildFailure!.attrs.message).toMatch(/"broken on purpose"/);
  });

  it('a mismatch is named in the JUnit failure (input, output, byte, expected, actual), and odd text is escaped', () => {
    const cell: CellReport = {
      model: 'models/a&b <x>.onnx',
      board: 'mps2-an386',
      rounding: 'onnx',
      passed: false,
      inputs: 2,
      bytesCompared: 12,
      mismatchCount: 1,
      mismatches: [{ input: 1, output: 0, byte: 4, expected: 17, actual: 18 }],
      failure: '1 of 12 output bytes differ; first: input 1, output 0, byte 4: expected 17, actual 18 "q" \u0007',
      failureKind: 'mismatch',
      wallMs: 1234,
      flashBytes: 100,
      ramBytes: 200,
    };
    const report = { cells: [cell, { ...cell, board: 'mps2-an385', passed: true, mismatchCount: 0, mismatches: [] }], wallMs: 2000 } as unknown as MatrixReport;
    const text = matrixJunit(report, 'model');
    const xml = parseXml(text);
    expect(all(xml, 'testsuite')).toHaveLength(1);
    expect(all(xml, 'testsuite')[0]!.attrs.name).toBe('a&b <x>.onnx');
    const [failure] = all(xml, 'failure');
    expect(failure!.attrs.message).toMatch(/input 1, output 0, byte 4: expected 17, actual 18 "q" \uFFFD$/);
    expect(failure!.text).toMatch(/mismatch: input 1, output 0, byte 4: expected 17, actual 18/);
    expect(text).not.toMatch(/\u0007/);
  });

  it('the CLI exits 1 when a cell fails (a model that does not fit the board), and still runs and reports the rest', async () => {
    const json = join(dir, 'tiny-flash.json.report');
    const result = await tinygen(['validate', QOP, '--board', `mps2-an386,${tinyFlashBoard()}`, '--inputs', '2', '--report-json', json]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^tiny_cnn_qop\.onnx\s+mps2-an386\s+onnx\s+PASS\s/m);
    expect(result.stdout).toMatch(/^tiny_cnn_qop\.onnx\s+tiny-flash\s+onnx\s+FAIL/m);
    expect(result.stdout).toMatch(/2 cells .*: 1 passed, 1 failed/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as MatrixReport;
    expect(report.summary).toEqual({ cells: 2, passed: 1, failed: 1 });
    const failed = cellOf(report, QOP, 'tiny-flash');
    expect(failed.failure).toMatch(/flash/i);
    expect(failed.flashBytes).toBeNull();
    expect(cellOf(report, QOP, 'mps2-an386').passed).toBe(true);
  });

  it('the summary counts rounding modes as a factor only when every model ran in each', async () => {
    // A TFLite and an ONNX model: each in its own format's rounding by default, so 2 cells, not 2 × 2.
    const models = [join(PACKAGE_ROOT, 'examples', 'demo_kws.tflite'), QOP];
    const own = await tinygen(['validate', ...models, '--board', 'mps2-an386', '--inputs', '1']);
    expect(own.stdout).toMatch(/^2 cells \(2 models × 1 board\): 2 passed, 0 failed/m);
    const both = await tinygen(['validate', ...models, '--board', 'mps2-an386', '--rounding', 'onnx', '--rounding', 'tflite', '--inputs', '1']);
    expect(both.stdout).toMatch(/^4 cells \(2 models × 1 board × 2 rounding modes\): 4 passed, 0 failed/m);
  });

  it('--board all is every board in boards/ with a QEMU machine, and runs on each', async () => {
    const expected = qemuBoardIdsFromFiles();
    expect(expected).toContain('mps2-an385');
    expect(expected).toContain('mps2-an386');
    expect(resolveBoards(['all']).map((b) => b.board.id).sort()).toEqual(expected);

    const json = join(dir, 'all.json');
    const result = await tinygen(['validate', QOP, '--board', 'all', '--inputs', '1', '--report-json', json]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as MatrixReport;
    expect(report.boards.sort()).toEqual(expected);
    expect(report.cells.map((c) => c.board).sort()).toEqual(expected);
    for (const cell of report.cells) expect(cell.passed, `${cell.board}: ${cell.failure}`).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it('bad input exits 2 with one line: an unknown board, an unreadable model', async () => {
    for (const [args, pattern] of [
      [[QOP, '--board', 'mps2-an386', '--board', 'pdp-11'], /unknown board "pdp-11"/],
      [[QOP, join(dir, 'missing.onnx'), '--board', 'all'], /missing\.onnx: cannot read \(ENOENT\)/],
      [[QOP, '--rounding', 'onnx', '--rounding', 'banker'], /--rounding: unknown mode "banker"/],
    ] as const) {
      const result = await tinygen(['validate', ...args]);
      expect(result.exitCode).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tinygen: error: /);
      expect(lines[0]).toMatch(pattern);
    }
  });
});
