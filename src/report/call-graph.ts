/**
 * Worst-case stack depth from gcc's call-graph dumps (-fcallgraph-info=su): one .ci file per
 * object, in VCG text, listing each defined function with its frame size (from -fstack-usage)
 * and each call edge. The depth of a function is its frame plus the deepest of its callees.
 */

export interface StackUse {
  /** Bytes of stack from the root's entry down to the deepest frame the call graph allows. */
  bytes: number;
  /** The deepest call chain, root first, with each function's own frame. */
  path: { name: string; frameBytes: number }[];
  /** Callees with no frame size in the dumps (library routines such as memcpy or __aeabi_fmul): not counted. */
  unmeasured: string[];
  /** Why the figure is not a bound, if it is not: recursion, calls through pointers, dynamic frames. */
  unbounded: string[];
}

export interface CallGraph {
  frames: Map<string, { bytes: number; dynamic: boolean }>;
  calls: Map<string, Set<string>>;
}

/** Reads and merges the text of several .ci files. */
export function parseCallGraph(texts: readonly string[]): CallGraph {
  const frames: CallGraph['frames'] = new Map();
  const calls: CallGraph['calls'] = new Map();
  for (const text of texts) {
    for (const m of text.matchAll(/node: \{ title: "([^"]+)" label: "[^"]*?\\n(\d+) bytes \(([a-z,]+)\)/g)) {
      // "dynamic,bounded" frames have a known maximum, which gcc reports: still a bound.
      if (!frames.has(m[1]!)) frames.set(m[1]!, { bytes: Number(m[2]), dynamic: m[3] === 'dynamic' });
    }
    for (const m of text.matchAll(/edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"/g)) {
      let callees = calls.get(m[1]!);
      if (!callees) calls.set(m[1]!, (callees = new Set()));
      callees.add(m[2]!);
    }
  }
  return { frames, calls };
}

/** The deepest stack reachable from `root`. */
export function worstStack(graph: CallGraph, root: string): StackUse {
  const unmeasured = new Set<string>();
  const unbounded = new Set<string>();
  const memo = new Map<string, { bytes: number; path: StackUse['path'] }>();
  const onPath = new Set<string>();

  const depth = (name: string): { bytes: number; path: StackUse['path'] } => {
    const known = memo.get(name);
    if (known) return known;
    const frame = graph.frames.get(name);
    if (!frame) {
      // gcc names a call through a pointer __indirect_call.
      if (name === '__indirect_call') unbounded.add('a call through a function pointer');
      else unmeasured.add(name);
      return { bytes: 0, path: [] };
    }
    if (frame.dynamic) unbounded.add(`${name} has a dynamic frame`);
    onPath.add(name);
    let deepest: { bytes: number; path: StackUse['path'] } = { bytes: 0, path: [] };
    for (const callee of [...(graph.calls.get(name) ?? [])].sort()) {
      if (onPath.has(callee)) {
        unbounded.add(`recursion through ${callee}`);
        continue;
      }
      const below = depth(callee);
      if (below.bytes > deepest.bytes) deepest = below;
    }
    onPath.delete(name);
    const result = { bytes: frame.bytes + deepest.bytes, path: [{ name, frameBytes: frame.bytes }, ...deepest.path] };
    memo.set(name, result);
    return result;
  };

  if (!graph.frames.has(root)) throw new Error(`internal: no stack usage recorded for ${root}`);
  const { bytes, path } = depth(root);
  return { bytes, path, unmeasured: [...unmeasured].sort(), unbounded: [...unbounded].sort() };
}
