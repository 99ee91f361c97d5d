import { html, type SafeHtml } from '../share-page/html.ts';

/**
 * Charts drawn on the server as SVG (no script): bars scaled to a `viewBox`, so they shrink with the page on a
 * phone. Each chart is `role="img"` named by its `<title>` and described by its `<desc>` (the page's table beside it
 * holds every number). Colours only through presentation attributes (the console's CSP has no inline styles), each
 * at least 3:1 against white (WCAG 1.4.11), text #1a1a1a.
 */

/** Series colours, in order; every one has a contrast of at least 4.5:1 against white. */
export const CHART_COLOURS = ['#0b57d0', '#137333', '#8e24aa', '#a14b00', '#00696b', '#b3261e', '#5f6368'];
const TEXT = '#1a1a1a';
const AXIS = '#5f6368';
const FONT = 'system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,sans-serif';

/** What names and describes a chart. */
export interface ChartText {
  /** Unique in the page: the ids of the title and description. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

/** A horizontal bar: its label (above the bar), its parts (stacked, in series order) and the text at its end. */
export interface HorizontalBar {
  readonly label: string;
  readonly parts: readonly number[];
  readonly value: string;
}

const WIDTH = 400;
const svgOpen = (text: ChartText, height: number, kind = '') =>
  html`<svg class="chart${kind}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="16" fill="${TEXT}"><title id="${text.id}-title">${text.title}</title><desc id="${text.id}-desc">${text.description}</desc>`;

/** A legend line of series names and colours (drawn in the SVG), when there is more than one series. */
function legend(names: readonly string[], y: number): { markup: SafeHtml; height: number } {
  if (names.length < 2) return { markup: html``, height: 0 };
  let x = 0;
  let row = 0;
  const items = names.map((name, i) => {
    const width = 22 + name.length * 9 + 16;
    if (x > 0 && x + width > WIDTH) {
      x = 0;
      row += 1;
    }
    const item = html`<rect x="${x}" y="${y + row * 24}" width="14" height="14" fill="${CHART_COLOURS[i % CHART_COLOURS.length]}"/><text x="${x + 20}" y="${y + row * 24 + 12}">${name}</text>`;
    x += width;
    return item;
  });
  return { markup: html`${items}`, height: (row + 1) * 24 + 8 };
}

/** Bars across the chart, one per line, each split into its series' parts; `series` names the parts. */
export function horizontalBarChart(
  text: ChartText,
  bars: readonly HorizontalBar[],
  series: readonly string[] = [],
): SafeHtml {
  const top = legend(series, 0);
  const rowHeight = 46;
  const height = top.height + Math.max(1, bars.length) * rowHeight;
  const max = Math.max(1, ...bars.map((bar) => bar.parts.reduce((a, b) => a + b, 0)));
  const valueRoom = 64;
  const scale = (WIDTH - valueRoom) / max;
  const rows = bars.map((bar, i) => {
    const y = top.height + i * rowHeight;
    let x = 0;
    const parts = bar.parts.map((part, p) => {
      const width = part * scale;
      const rect =
        part > 0
          ? html`<rect x="${x.toFixed(1)}" y="${y + 22}" width="${width.toFixed(1)}" height="18" fill="${CHART_COLOURS[p % CHART_COLOURS.length]}"/>`
          : null;
      x += width;
      return rect;
    });
    return html`<text x="0" y="${y + 16}">${bar.label}</text>${parts}<line x1="0" x2="0" y1="${y + 20}" y2="${y + 42}" stroke="${AXIS}"/><text x="${(x + 6).toFixed(1)}" y="${y + 36}" font-weight="700">${bar.value}</text>`;
  });
  return html`${svgOpen(text, height)}${top.markup}${rows}</svg>`;
}

/** One day's column: its parts, stacked in series order. */
export interface DayColumn {
  readonly day: string;
  readonly parts: readonly number[];
}

/**
 * Columns for every day of a period (days without anything stay empty), each stacked by series; the first and last
 * days are written under the axis, the highest total beside it. With `overlay`, the second series is drawn inside
 * the first instead of on top of it (a part of it: answered hand-offs of those opened).
 */
export function dayColumnChart(
  text: ChartText,
  days: readonly DayColumn[],
  series: readonly string[],
  options: { overlay?: boolean } = {},
): SafeHtml {
  const top = legend(series, 0);
  const plotTop = top.height + 8;
  const plotHeight = 140;
  const axisY = plotTop + plotHeight;
  const left = 36;
  const height = axisY + 28;
  const total = (column: DayColumn) =>
    options.overlay ? (column.parts[0] ?? 0) : column.parts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...days.map(total));
  const slot = (WIDTH - left) / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.8);
  const y = (value: number) => axisY - (value / max) * plotHeight;
  const columns = days.map((column, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    return column.parts.map((part, p) => {
      if (part <= 0) return null;
      const from = options.overlay ? 0 : base;
      base += part;
      const inset = options.overlay && p > 0 ? barWidth * 0.2 : 0;
      return html`<rect x="${(x + inset).toFixed(1)}" y="${y(from + part).toFixed(1)}" width="${(barWidth - 2 * inset).toFixed(1)}" height="${(y(from) - y(from + part)).toFixed(1)}" fill="${CHART_COLOURS[p % CHART_COLOURS.length]}"/>`;
    });
  });
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  return html`${svgOpen(text, height, ' days')}${top.markup}
<line x1="${left}" x2="${WIDTH}" y1="${plotTop}" y2="${plotTop}" stroke="#dadce0"/>
<text x="${left - 6}" y="${plotTop + 5}" text-anchor="end">${max}</text><text x="${left - 6}" y="${axisY}" text-anchor="end">0</text>
${columns}
<line x1="${left}" x2="${WIDTH}" y1="${axisY}" y2="${axisY}" stroke="${AXIS}"/>
<text x="${left}" y="${axisY + 22}">${first}</text>${last !== first ? html`<text x="${WIDTH}" y="${axisY + 22}" text-anchor="end">${last}</text>` : null}</svg>`;
}
