/**
 * The SVG memory timeline: well-formed XML, one hoverable rectangle per arena buffer placed by
 * the documented scale, escaped text, deterministic output, and the no-arena case.
 */
import { describe, expect, it } from 'vitest';
import { renderMemoryTimeline, TIMELINE_LAYOUT, type TimelineInput } from '../../src/report/memory-timeline-svg.ts';

/**
 * A small well-formedness check (no XML parser dependency): tags nest and close, attributes are
 * quoted, and no raw `<` or stray `&` appears in text or attribute values. Returns the problems.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const badAmpersand = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const open: string[] = [];
  let roots = 0;
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    const [whole, closing, name, attrs, selfClosing, content, strayLt] = m;
    if (whole.startsWith('<!--')) continue;
    if (strayLt) {
      problems.push(`malformed tag at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
      continue;
    }
    if (content !== undefined) {
      if (badAmpersand.test(content)) problems.push(`bad & in text: ${content}`);
      if (open.length === 0 && content.trim() !== '') problems.push(`text outside the root: ${content}`);
      continue;
    }
    if (attrs && badAmpersand.test(attrs)) problems.push(`bad & in attributes of <${name}>`);
    const attrNames = [...(attrs ?? '').matchAll(/([\w:.-]+)\s*=/g)].map((a) => a[1]);
    if (new Set(attrNames).size !== attrNames.length) problems.push(`duplicate attribute in <${name}>`);
    if (closing) {
      if (open.pop() !== name) problems.push(`</${name}> does not match`);
    } else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name!);
    } else if (open.length === 0) roots++;
  }
  if (open.length > 0) problems.push(`unclosed: ${open.join(' ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

interface Rect { x: number; y: number; width: number; height: number; title: string }

/** The buffer rectangles, with their tooltips, in document order. */
function bufferRects(svg: string): Rect[] {
  return [...svg.matchAll(/<rect class="buffer" ([^>]*)><title>([^<]*)<\/title><\/rect>/g)].map((m) => {
    const attr = (name: string) => Number(new RegExp(`\\b${name}="([^"]*)"`).exec(m[1]!)![1]);
    return { x: attr('x'), y: attr('y'), width: attr('width'), height: attr('height'), title: m[2]! };
  });
}

const sample: TimelineInput = {
  title: 'tiny: arena 4,096 B (lower bound 3,072 B)',
  steps: [{ label: '0 QLinearConv conv1' }, { label: '1 QLinearConv conv2' }, { label: '2 MaxPool pool' }, { label: '3 QLinearMatMul fc' }],
  arenaBytes: 4096,
  lowerBoundBytes: 3072,
  buffers: [
    { tensors: ['conv1_out'], offset: 0, bytes: 2048, first: 0, last: 1 },
    { tensors: ['conv2_out', 'conv2_view'], offset: 2048, bytes: 2048, first: 1, last: 2 },
    { tensors: ['pool_out'], offset: 0, bytes: 1024, first: 2, last: 3 },
  ],
  liveBytes: [2048, 4096, 3072, 1024],
};

describe('renderMemoryTimeline', () => {
  it('is a well-formed standalone SVG without scripts or external references', () => {
    const svg = renderMemoryTimeline(sample);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg" version="1.1"');
    expect(svg).not.toMatch(/<script|href=|url\(|@import/i);
  });

  it('the checker itself rejects broken XML', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg x="a"b"/>')).not.toEqual([]);
  });

  it('draws one rectangle with a tooltip per buffer, placed by offset, size and live steps', () => {
    const svg = renderMemoryTimeline(sample);
    const rects = bufferRects(svg);
    expect(rects).toHaveLength(sample.buffers.length);
    expect(svg.match(/<rect class="buffer"/g)).toHaveLength(sample.buffers.length);

    // The documented scale: 4 steps are widened to fill the minimum plot width.
    const { plotLeft, plotTop, plotHeight, minPlotWidth } = TIMELINE_LAYOUT;
    const column = minPlotWidth / 4;
    const pxPerByte = plotHeight / 4096;
    const plotBottom = plotTop + plotHeight;
    sample.buffers.forEach((buffer, i) => {
      const rect = rects[i]!;
      expect(rect.x).toBeCloseTo(plotLeft + buffer.first * column, 1);
      expect(rect.width).toBeCloseTo((buffer.last - buffer.first + 1) * column, 1);
      expect(rect.height).toBeCloseTo(buffer.bytes * pxPerByte, 1);
      expect(rect.y).toBeCloseTo(plotBottom - (buffer.offset + buffer.bytes) * pxPerByte, 1);
      for (const tensor of buffer.tensors) expect(rect.title).toContain(tensor);
      expect(rect.title).toContain(`offset ${buffer.offset.toLocaleString('en-US')} B`);
    });
    // Stacked buffers share an edge; buffers at offset 0 sit on the plot's bottom.
    expect(rects[1]!.y + rects[1]!.height).toBeCloseTo(rects[0]!.y, 1);
    expect(rects[2]!.y + rects[2]!.height).toBeCloseTo(plotBottom, 1);
  });

  it('marks the arena (solid) and the lower bound (dashed) at their byte heights', () => {
    const svg = renderMemoryTimeline(sample);
    const { plotTop, plotHeight } = TIMELINE_LAYOUT;
    const lines = [...svg.matchAll(/<line x1="[^"]*" y1="([^"]*)"[^>]*stroke-width="1.5"([^>]*)\/>/g)];
    const dashed = lines.find((l) => l[2]!.includes('dasharray'))!;
    const solid = lines.find((l) => !l[2]!.includes('dasharray'))!;
    expect(Number(solid[1])).toBeCloseTo(plotTop, 1);
    expect(Number(dashed[1])).toBeCloseTo(plotTop + plotHeight / 4, 1);
    expect(svg).toContain('arena 4,096 B');
    expect(svg).toContain('lower bound 3,072 B');
  });

  it('gives the live-bytes strip a byte scale: its top is the largest of the arena and the live bytes', () => {
    const svg = renderMemoryTimeline(sample);
    const scale = [...svg.matchAll(/<text [^>]*class="live-scale"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(scale).toEqual(['4,096 B', '0 B']);
    // A step with 2,048 of those 4,096 bytes live fills half the strip's height.
    const bars = [...svg.matchAll(/<rect class="live" [^>]*height="([^"]*)"/g)].map((m) => Number(m[1]));
    expect(bars).toEqual([24, 48, 36, 12]);
  });

  it('keeps tiny buffers visible and labels only the ones that have room', () => {
    const svg = renderMemoryTimeline({ ...sample, arenaBytes: 1_000_000, lowerBoundBytes: 1_000_000, buffers: [{ tensors: ['tiny'], offset: 0, bytes: 8, first: 0, last: 0 }] });
    const [rect] = bufferRects(svg);
    expect(rect!.height).toBeGreaterThanOrEqual(1);
    expect(svg).not.toMatch(/<text[^>]*>tiny<\/text>/);
    expect(renderMemoryTimeline(sample)).toMatch(/<text[^>]*>conv1_out<\/text>/);
  });

  it('escapes tensor names and labels', () => {
    const name = `a<b&"c"`;
    const svg = renderMemoryTimeline({
      ...sample,
      title: `net <&> "quoted"`,
      steps: sample.steps.map((s) => ({ label: `${s.label} <${name}>` })),
      buffers: [{ tensors: [name, `x'y`], offset: 0, bytes: 4096, first: 0, last: 3 }],
    });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('a&lt;b&amp;&quot;c&quot;');
    expect(svg).toContain('x&apos;y');
    expect(svg).not.toContain(name);
  });

  it('is deterministic', () => {
    const copy = structuredClone(sample);
    expect(renderMemoryTimeline(copy)).toBe(renderMemoryTimeline(sample));
  });

  it('renders an empty chart with a note when there is no arena', () => {
    for (const input of [
      { ...sample, arenaBytes: 0, lowerBoundBytes: 0, buffers: [], liveBytes: undefined },
      { ...sample, arenaBytes: 0, lowerBoundBytes: 0, buffers: [], steps: [] },
    ]) {
      const svg = renderMemoryTimeline(input);
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).toContain('no arena: every tensor is an API buffer');
      expect(bufferRects(svg)).toEqual([]);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('handles a single step and hundreds of steps', () => {
    const one = renderMemoryTimeline({ title: 'one', steps: [{ label: '0 Relu r' }], arenaBytes: 64, lowerBoundBytes: 64, buffers: [{ tensors: ['t'], offset: 0, bytes: 64, first: 0, last: 0 }] });
    expect(xmlProblems(one)).toEqual([]);
    expect(bufferRects(one)[0]!.width).toBeCloseTo(TIMELINE_LAYOUT.minPlotWidth, 1);

    const steps = Array.from({ length: 300 }, (_, i) => ({ label: `${i} QLinearConv block_${i}/conv/with/a/rather/long/name` }));
    const buffers = Array.from({ length: 299 }, (_, i) => ({ tensors: [`t${i}`], offset: (i % 2) * 512, bytes: 512, first: i, last: i + 1 }));
    const many = renderMemoryTimeline({ title: 'many', steps, arenaBytes: 1024, lowerBoundBytes: 1024, buffers, liveBytes: steps.map(() => 1024) });
    expect(xmlProblems(many)).toEqual([]);
    expect(bufferRects(many)).toHaveLength(299);
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(many)![1]);
    expect(width).toBeGreaterThanOrEqual(300 * TIMELINE_LAYOUT.columnWidth);
    expect(many).toContain('rotate(-90');
    expect(many).not.toMatch(/NaN|Infinity/);
  });
});
