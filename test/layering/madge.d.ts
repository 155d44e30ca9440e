/** The part of madge's API (it ships no types) that test/layering uses. */
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: Record<string, Record<string, boolean>>;
  }
  interface MadgeInstance {
    circular(): string[][];
    obj(): Record<string, string[]>;
    warnings(): { skipped: string[] };
  }
  export default function madge(path: string, config?: MadgeConfig): Promise<MadgeInstance>;
}
