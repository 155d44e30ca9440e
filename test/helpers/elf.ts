/** An ELF's layout as arm-none-eabi-size and -nm report it: sections, sized symbols, and which lies in which. */
import { execa } from 'execa';
import { NM, SIZE } from '../../src/toolchain/tools.ts';

export interface ElfLayout {
  /** Section name → size and address, in the order of the image. */
  sections: Map<string, { size: number; address: number }>;
  /** Sized symbols: name → address and size. */
  symbols: Map<string, { address: number; size: number }>;
  /** Whether the symbol lies wholly inside the section. */
  within(symbol: string, section: string): boolean;
}

export async function elfLayout(elf: string): Promise<ElfLayout> {
  const sections = new Map(
    (await execa(SIZE, ['-A', '-d', elf])).stdout
      .split('\n')
      .map((line) => /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, { size: Number(m[2]), address: Number(m[3]) }]),
  );
  const symbols = new Map(
    (await execa(NM, ['-S', elf])).stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length === 4)
      .map(([address, size, , name]) => [name!, { address: parseInt(address!, 16), size: parseInt(size!, 16) }]),
  );
  const within = (symbol: string, section: string) => {
    const { address, size } = symbols.get(symbol)!;
    const { address: start, size: length } = sections.get(section)!;
    return address >= start && address + size <= start + length;
  };
  return { sections, symbols, within };
}

/** The sections a linker script laid out, without debug, comment and Arm attribute sections. */
export const loadedSections = (layout: ElfLayout): string[] => [...layout.sections.keys()].filter((name) => !/^\.(ARM|comment|debug)/.test(name));
