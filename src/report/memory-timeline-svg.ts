/**
 * The arena as a picture: one column per schedule step, arena offset upwards from 0 at the
 * bottom, one rectangle per buffer over the steps it is alive. Gaps between rectangles are
 * fragmentation; the distance between the dashed (lower bound) and solid (arena) lines is what
 * a better placement could at most save. Plain SVG 1.1, no scripts or external resources, and
 * byte-for-byte deterministic so reports can be diffed.
 */

export interface TimelineBuffer {
  tensors: string[];
  offset: number;
  bytes: number;
  first: number;
  last: number;
}

export interface TimelineInput {
  /** e.g. "kws_dscnn: arena 12,288 B (lower bound 12,288 B)" */
  title: string;
  /**
   * One per schedule step (node), e.g. "3 QLinearConv conv2"; a step whose output overwrites an
   * input that dies there, or that runs several layers row by row, is marked along the top of
   * its column.
   */
  steps: { label: string; inPlace?: boolean; lineBuffered?: boolean }[];
  arenaBytes: number;
  lowerBoundBytes: number;
  buffers: TimelineBuffer[];
  /** Bytes live at each step; drawn as a bar strip under the chart when given. */
  liveBytes?: number[];
}

/**
 * The scale, in px. Step s occupies x in [plotLeft + s * column, plotLeft + (s + 1) * column)
 * with column = max(columnWidth, minPlotWidth / steps). Byte b sits at
 * y = plotTop + plotHeight - b * plotHeight / top, where top = max(arenaBytes, lowerBoundBytes,
 * end of the highest buffer); buffers thinner than minBufferHeight keep their bottom edge and grow up.
 */
export const TIMELINE_LAYOUT = { plotLeft: 84, plotTop: 56, plotHeight: 360, columnWidth: 40, minPlotWidth: 480, minBufferHeight: 2 } as const;

const RIGHT_MARGIN = 150;
const LIVE_STRIP_HEIGHT = 48;
const CHAR_WIDTH = 6.2; // average advance of 11px sans-serif, to decide whether a label fits
const MAX_STEP_LABEL_CHARS = 32;
// Light fills so dark text stays readable; neighbours in plan order get different hues.
const PALETTE = ['#9ecae9', '#ffbf86', '#a8dc93', '#f4a6a6', '#c9b3e0', '#d3b5a9', '#f5b8dc', '#8fd1b8', '#dcdc8b', '#9ddbe4', '#b5c9f0', '#f0d68a'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Fixed two-decimal rounding keeps the output short and identical across runs. */
const px = (n: number): string => String(Math.round(n * 100) / 100);

/** Locale-independent thousands separators: toLocaleString would depend on the machine. */
export const formatBytes = (n: number): string => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} B`;

/** Keeps the tail of long names: in paths like "model/conv2d_3/Relu" the end says the most. */
function shorten(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return '…';
  const head = Math.floor((maxChars - 1) / 3);
  return `${text.slice(0, head)}…${text.slice(text.length - (maxChars - 1 - head))}`;
}

/** About five ticks at 1, 2 or 5 times a power of ten. */
function roundTicks(top: number): number[] {
  const rough = top / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

const text = (x: number, y: number, content: string, attrs = ''): string =>
  `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;

const line = (x1: number, y1: number, x2: number, y2: number, attrs: string): string =>
  `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" ${attrs}/>`;

export function renderMemoryTimeline(input: TimelineInput): string {
  const { plotLeft, plotTop, plotHeight, minBufferHeight } = TIMELINE_LAYOUT;
  const stepCount = Math.max(1, input.steps.length);
  const column = Math.max(TIMELINE_LAYOUT.columnWidth, TIMELINE_LAYOUT.minPlotWidth / stepCount);
  const plotWidth = column * stepCount;
  const plotRight = plotLeft + plotWidth;
  const plotBottom = plotTop + plotHeight;
  const empty = input.buffers.length === 0 || input.arenaBytes <= 0;
  const top = Math.max(input.arenaBytes, input.lowerBoundBytes, ...input.buffers.map((b) => b.offset + b.bytes));
  const yOf = (bytes: number) => plotBottom - (top > 0 ? (bytes * plotHeight) / top : 0);

  const live = input.liveBytes && input.liveBytes.length > 0 && !empty ? input.liveBytes : undefined;
  const stripTop = plotBottom + 8;
  const labelsTop = (live ? stripTop + LIVE_STRIP_HEIGHT : plotBottom) + 8;
  const labels = input.steps.map((s) => s.label);
  const horizontalLabels = labels.every((l) => l.length * CHAR_WIDTH <= column - 4);
  const longestLabel = Math.min(MAX_STEP_LABEL_CHARS, Math.max(0, ...labels.map((l) => l.length)));
  const width = Math.ceil(plotRight + RIGHT_MARGIN);
  const height = Math.ceil(labelsTop + (horizontalLabels ? 14 : longestLabel * CHAR_WIDTH) + 12);

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="#222">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    text(plotLeft, 22, input.title, 'font-size="14" font-weight="bold"'),
  ];
  if (!empty) {
    const inPlaceNote = (input.steps.some((s) => s.inPlace) ? '; orange mark: the step runs in place' : '') + (input.steps.some((s) => s.lineBuffered) ? '; blue: row by row' : '');
    out.push(text(plotLeft, 40, `solid: arena ${formatBytes(input.arenaBytes)}; dashed: lower bound ${formatBytes(input.lowerBoundBytes)}, the most bytes live at once${inPlaceNote}`, 'fill="#555"'));
  }

  // Alternate column shading so a buffer's steps can be read off against the labels below.
  for (let s = 0; s < stepCount; s += 2) {
    out.push(`<rect x="${px(plotLeft + s * column)}" y="${plotTop}" width="${px(column)}" height="${plotHeight}" fill="#f4f4f4"/>`);
  }

  if (empty) {
    out.push(text(plotLeft + plotWidth / 2, plotTop + plotHeight / 2, 'no arena: every tensor is an API buffer', 'text-anchor="middle" font-size="13" fill="#555"'));
  } else {
    for (const tick of roundTicks(top)) {
      out.push(line(plotLeft, yOf(tick), plotRight, yOf(tick), 'stroke="#dddddd" stroke-width="1"'));
      out.push(text(plotLeft - 6, yOf(tick) + 4, formatBytes(tick), 'text-anchor="end" fill="#555"'));
    }
    const axisMiddle = plotTop + plotHeight / 2;
    out.push(text(14, axisMiddle, 'arena offset', `text-anchor="middle" fill="#555" transform="rotate(-90 14 ${px(axisMiddle)})"`));

    input.buffers.forEach((buffer, index) => out.push(renderBuffer(buffer, index)));
    input.steps.forEach((step, s) => {
      const marks = [
        ...(step.lineBuffered ? [{ kind: 'line-buffered', fill: '#2e86c1', what: 'row by row (it never holds its layers\' whole outputs)' }] : []),
        ...(step.inPlace ? [{ kind: 'in-place', fill: '#e67e22', what: 'in place (its output overwrites an input that dies here)' }] : []),
      ];
      marks.forEach(({ kind, fill, what }, i) => {
        out.push(`<rect class="${kind}" x="${px(plotLeft + s * column + 1)}" y="${plotTop - 6 - 6 * i}" width="${px(Math.max(1, column - 2))}" height="5" fill="${fill}"><title>${escapeXml(`${step.label}: ${what}`)}</title></rect>`);
      });
    });

    const arenaY = yOf(input.arenaBytes);
    const boundY = yOf(input.lowerBoundBytes);
    out.push(line(plotLeft, boundY, plotRight, boundY, 'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="6 4"'));
    out.push(line(plotLeft, arenaY, plotRight, arenaY, 'stroke="#222" stroke-width="1.5"'));
    out.push(text(plotRight + 6, arenaY + 4, `arena ${formatBytes(input.arenaBytes)}`));
    // The bound is often equal to the arena: keep its label from overprinting the arena's.
    out.push(text(plotRight + 6, Math.max(boundY + 4, arenaY + 17), `lower bound ${formatBytes(input.lowerBoundBytes)}`, 'fill="#c0392b"'));
  }
  out.push(`<rect x="${plotLeft}" y="${plotTop}" width="${px(plotWidth)}" height="${plotHeight}" fill="none" stroke="#888" stroke-width="1"/>`);

  if (live) out.push(...renderLiveStrip(live));
  labels.forEach((label, step) => {
    const centre = plotLeft + (step + 0.5) * column;
    if (horizontalLabels) out.push(text(centre, labelsTop + 10, label, 'text-anchor="middle"'));
    else out.push(text(centre + 4, labelsTop, shorten(label, MAX_STEP_LABEL_CHARS), `text-anchor="end" transform="rotate(-90 ${px(centre + 4)} ${px(labelsTop)})"`));
  });
  out.push('</svg>', '');
  return out.join('\n');

  function renderBuffer(buffer: TimelineBuffer, index: number): string {
    const x = plotLeft + buffer.first * column;
    const w = (Math.max(buffer.first, buffer.last) - buffer.first + 1) * column;
    const bottom = yOf(buffer.offset);
    const h = Math.max(minBufferHeight, bottom - yOf(buffer.offset + buffer.bytes));
    const y = bottom - h;
    const stepRange = buffer.first === buffer.last ? `step ${buffer.first}` : `steps ${buffer.first}-${buffer.last}`;
    const tooltip = [
      buffer.tensors.join(', '),
      `${formatBytes(buffer.bytes)} at offset ${formatBytes(buffer.offset)}`,
      `${stepRange}: ${input.steps[buffer.first]?.label ?? '?'} to ${input.steps[buffer.last]?.label ?? '?'}`,
    ].join('\n');
    // The white outline separates neighbours, but would swallow a buffer only a few px high.
    const outline = h >= 4 ? ' stroke="#ffffff" stroke-width="1"' : '';
    const parts = [
      `<g>`,
      `<rect class="buffer" x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" fill="${PALETTE[index % PALETTE.length]}"${outline}><title>${escapeXml(tooltip)}</title></rect>`,
    ];
    // Labels only where they fit; pointer-events="none" lets the rect's tooltip show through.
    const maxChars = Math.floor((w - 8) / CHAR_WIDTH);
    const name = `${buffer.tensors[0] ?? ''}${buffer.tensors.length > 1 ? ` +${buffer.tensors.length - 1}` : ''}`;
    const labelAttrs = 'text-anchor="middle" pointer-events="none"';
    if (h >= 26 && maxChars >= 4) {
      parts.push(text(x + w / 2, y + h / 2 - 2, shorten(name, maxChars), labelAttrs));
      parts.push(text(x + w / 2, y + h / 2 + 11, shorten(formatBytes(buffer.bytes), maxChars), `${labelAttrs} fill="#444"`));
    } else if (h >= 13 && maxChars >= 4) {
      parts.push(text(x + w / 2, y + h / 2 + 4, shorten(name, maxChars), labelAttrs));
    }
    parts.push('</g>');
    return parts.join('');
  }

  function renderLiveStrip(liveBytes: number[]): string[] {
    const scaleTop = Math.max(top, ...liveBytes);
    const parts = [text(plotLeft - 6, stripTop + LIVE_STRIP_HEIGHT / 2 + 4, 'live bytes', 'text-anchor="end" fill="#555"')];
    liveBytes.slice(0, stepCount).forEach((bytes, step) => {
      const h = (bytes * LIVE_STRIP_HEIGHT) / scaleTop;
      const tooltip = `${input.steps[step]?.label ?? `step ${step}`}: ${formatBytes(bytes)} live`;
      parts.push(`<rect class="live" x="${px(plotLeft + step * column + 1)}" y="${px(stripTop + LIVE_STRIP_HEIGHT - h)}" width="${px(Math.max(1, column - 2))}" height="${px(h)}" fill="#7f9fbf"><title>${escapeXml(tooltip)}</title></rect>`);
    });
    const boundY = stripTop + LIVE_STRIP_HEIGHT - (input.lowerBoundBytes * LIVE_STRIP_HEIGHT) / scaleTop;
    parts.push(line(plotLeft, boundY, plotRight, boundY, 'stroke="#c0392b" stroke-width="1" stroke-dasharray="6 4"'));
    parts.push(`<rect x="${plotLeft}" y="${stripTop}" width="${px(plotWidth)}" height="${LIVE_STRIP_HEIGHT}" fill="none" stroke="#888" stroke-width="1"/>`);
    // The strip's scale, at its right edge: its top and its floor in bytes.
    parts.push(text(plotRight + 6, stripTop + 9, formatBytes(scaleTop), 'class="live-scale" fill="#555"'));
    parts.push(text(plotRight + 6, stripTop + LIVE_STRIP_HEIGHT, '0 B', 'class="live-scale" fill="#555"'));
    return parts;
  }
}
