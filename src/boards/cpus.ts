/**
 * What tinygen knows about each Cortex-M core: the architecture profile, which FPUs it can
 * carry, which optional extensions exist, and how arm-none-eabi-gcc spells all that. Board files
 * are checked against this table, and the compiler flags are derived from it.
 */

export interface CpuInfo {
  /** `baseline` (v6-M, v8-M.base: no CFSR, no fault enables, Thumb-1 only) or `mainline`. */
  profile: 'baseline' | 'mainline';
  /** v8-M cores have an MSPLIM register the startup code sets, so stack overflow faults. */
  hasStackLimit: boolean;
  /** FPU names a board may give for this core, each with the value of gcc's -mfpu. */
  fpus: Record<string, string>;
  /** `always`: the core has the DSP extension; `optional`: some parts do; `never`. */
  dsp: 'always' | 'optional' | 'never';
  /** Same for the M-profile Vector Extension (Helium). */
  mve: 'optional' | 'never';
}

export const CPUS: Readonly<Record<string, CpuInfo>> = {
  'cortex-m0': { profile: 'baseline', hasStackLimit: false, fpus: {}, dsp: 'never', mve: 'never' },
  'cortex-m0plus': { profile: 'baseline', hasStackLimit: false, fpus: {}, dsp: 'never', mve: 'never' },
  'cortex-m3': { profile: 'mainline', hasStackLimit: false, fpus: {}, dsp: 'never', mve: 'never' },
  'cortex-m4': {
    profile: 'mainline',
    hasStackLimit: false,
    fpus: { 'fpv4-sp-d16': 'fpv4-sp-d16' },
    dsp: 'always',
    mve: 'never',
  },
  'cortex-m7': {
    profile: 'mainline',
    hasStackLimit: false,
    fpus: { 'fpv5-sp-d16': 'fpv5-sp-d16', 'fpv5-d16': 'fpv5-d16' },
    dsp: 'always',
    mve: 'never',
  },
  'cortex-m23': { profile: 'baseline', hasStackLimit: true, fpus: {}, dsp: 'never', mve: 'never' },
  'cortex-m33': {
    profile: 'mainline',
    hasStackLimit: true,
    fpus: { 'fpv5-sp-d16': 'fpv5-sp-d16' },
    dsp: 'optional',
    mve: 'never',
  },
  'cortex-m55': {
    profile: 'mainline',
    hasStackLimit: true,
    // The M55 FPU (FPv5 with half precision, plus MVE-F) is what -mcpu=cortex-m55 implies.
    fpus: { 'fpv5-d16': 'auto' },
    dsp: 'always',
    mve: 'optional',
  },
};

export function knownCpus(): string[] {
  return Object.keys(CPUS);
}
