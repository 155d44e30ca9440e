import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBoardIds, listBoards, loadBoard, parseBoard, placementRegion } from '../../src/boards/board.ts';
import { UserError } from '../../src/errors.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'boards');
const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);

function loadError(idOrPath: string): UserError {
  try {
    loadBoard(idOrPath);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`${idOrPath} loaded without an error`);
}

describe('loadBoard', () => {
  it('loads mps2-an386 by id', () => {
    const board = loadBoard('mps2-an386');
    expect(board).toMatchObject({
      id: 'mps2-an386',
      cpu: 'cortex-m4',
      fpu: 'fpv4-sp-d16',
      features: { dsp: true, mve: false },
      clockHz: 25_000_000,
      console: 'semihosting',
      qemu: { machine: 'mps2-an386' },
      memory: [
        { name: 'FLASH', origin: 0, length: 4 * 1024 * 1024, kind: 'flash' },
        { name: 'RAM', origin: 0x20000000, length: 4 * 1024 * 1024, kind: 'ram' },
      ],
    });
    expect(board.file).toMatch(/boards[/\\]mps2-an386\.json$/);
    expect(placementRegion(board, 'code').name).toBe('FLASH');
    expect(placementRegion(board, 'arena').name).toBe('RAM');
    expect(board.placement.stackSize % 8).toBe(0);
  });

  it('loads a board by path, and defaults the optional placements', () => {
    const board = loadBoard(fixture('good-board'));
    expect(board.id).toBe('good-board');
    const noQemu = loadBoard(fixture('no-qemu'));
    expect(noQemu.qemu).toBeUndefined();
  });

  it('lists the shipped boards, all valid', () => {
    expect(listBoardIds()).toContain('mps2-an386');
    expect(listBoards().map((b) => b.id)).toEqual(listBoardIds());
  });

  it('names the known boards for an unknown id', () => {
    const e = loadError('no-such-board');
    expect(e.message).toContain('unknown board "no-such-board"');
    expect(e.message).toContain('mps2-an386');
  });

  it('says when a board file does not exist', () => {
    expect(loadError('missing/dir/board.json').message).toContain('does not exist');
  });

  it('takes a size as a number, hex or with a K/M suffix', () => {
    const base = JSON.parse(JSON.stringify(loadBoardJson()));
    base.memory[1].length = '0x400000';
    base.placement.stackSize = '16K';
    base.placement.heapSize = 2048;
    const board = parseBoard(base, 'inline.json');
    expect(board.memory[1]!.length).toBe(0x400000);
    expect(board.placement.stackSize).toBe(16384);
    expect(board.placement.heapSize).toBe(2048);
  });
});

function loadBoardJson(): unknown {
  const b = loadBoard('mps2-an386');
  const { file: _file, ...rest } = b;
  return rest;
}

describe('board validation errors', () => {
  // Each fixture breaks exactly one thing; the message names the file, the JSON path and what was expected.
  const cases: [fixture: string, where: string, expected: string][] = [
    ['not-json', '', 'not valid JSON (line 4)'],
    ['missing-placement', 'placement', 'missing (required)'],
    ['unknown-field', 'placement.stacksize', 'unknown field (did you mean "stackSize"?)'],
    ['negative-length', 'memory[1].length', 'expected an integer from 4 to'],
    ['bad-origin', 'memory[0].origin', 'expected an integer from 0 to'],
    ['misaligned-origin', 'memory[1].origin', 'expected a multiple of 4, got "0x20000002"'],
    ['empty-memory', 'memory', 'expected a non-empty array of regions, got []'],
    ['overlap', 'memory[1]', 'overlaps memory[0] ("FLASH"'],
    ['unknown-cpu', 'cpu', 'expected one of "cortex-m0"'],
    ['fpu-on-m3', 'fpu', 'expected null (cortex-m3 has no FPU), got "fpv4-sp-d16"'],
    ['dsp-on-m0', 'features.dsp', 'expected false (cortex-m0 has no DSP extension)'],
    ['dsp-not-boolean', 'features.dsp', 'expected true or false, got "yes"'],
    ['unknown-region', 'placement.data', 'expected one of "FLASH", "RAM", got "SRAM"'],
    ['stack-in-flash', 'placement.stack', 'expected a region of kind "ram"'],
    ['odd-stack', 'placement.stackSize', 'expected a multiple of 8, got 1001'],
    ['heap-too-big', 'placement', 'do not fit in region "RAM"'],
    ['id-mismatch', 'id', 'expected "id-mismatch" (the file name), got "mps2-an999"'],
    ['qemu-without-semihosting', 'console', 'expected "semihosting"'],
  ];
  it.each(cases)('%s', (name, where, expected) => {
    const message = loadError(fixture(name)).message;
    expect(message).not.toContain('\n');
    const shown = path.join('test', 'fixtures', 'boards', `${name}.json`);
    expect(message.startsWith(where ? `${shown}: ${where}: ` : `${shown}: `)).toBe(true);
    expect(message).toContain(expected);
  });
});
