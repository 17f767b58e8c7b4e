// Renders a Vega-Lite spec headlessly to SVG (vega, no canvas) and PNG (resvg), and writes both beside the spec.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { View, parse, type LoggerInterface, type Spec as VgSpec } from 'vega';
import { Resvg } from '@resvg/resvg-js';

export type VegaLiteSpec = TopLevelSpec;
export type { VgSpec };

export interface PlotTitle {
  title: string;
  subtitle?: string;
}

/** What every chart of ours starts with: the Vega-Lite version it is written for, and its title (and subtitle). */
export function chartHeader(opts: PlotTitle) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.subtitle === undefined ? opts.title : { text: opts.title, subtitle: opts.subtitle },
  };
}

/** A panel per value of `field`, stacked, each labelled at its left (in `sort`'s order when given). */
export function panelRows(field: string, sort?: string[]) {
  return {
    row: {
      field,
      type: 'nominal' as const,
      title: null,
      ...(sort ? { sort } : {}),
      header: { labelAngle: 0, labelAlign: 'left' as const },
    },
  };
}

/**
 * The house style: white background, a plot area that makes the whole image about 640 px wide, fonts large
 * enough to read in a PNG at 1x. Families are listed most-specific first; resvg picks the first it has.
 */
const FONT = 'DejaVu Sans, Helvetica, Arial, Liberation Sans, sans-serif';
const HOUSE_CONFIG = {
  background: 'white',
  font: FONT,
  view: { continuousWidth: 480, continuousHeight: 280, stroke: '#ddd' },
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 12, titleFontSize: 12, symbolStrokeWidth: 2.5, symbolSize: 120 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  line: { strokeWidth: 2 },
} as const;

/** Where resvg looks for fonts besides the system's: without any font it would silently drop all text. */
const EXTRA_FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];

/** Vega and Vega-Lite log warnings to the console by default; library code must not print, so errors throw. */
function quietLogger(): LoggerInterface {
  let level = 0;
  const logger: LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(`vega: ${args.map(String).join(' ')}`);
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The house config under the spec's own: the spec's settings win, one level deep. */
function withHouseStyle(spec: VegaLiteSpec): VegaLiteSpec {
  const own = (spec.config ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...HOUSE_CONFIG };
  for (const [key, value] of Object.entries(own)) {
    const base = merged[key];
    const bothObjects = typeof base === 'object' && base !== null && typeof value === 'object' && value !== null;
    merged[key] = bothObjects ? { ...base, ...value } : value;
  }
  return { ...spec, config: merged };
}

/**
 * The spec compiled to Vega in the house style, for a page to draw with the Vega runtime alone (no Vega-Lite
 * compiler in the page). `tooltips` adds a tooltip with the encoded fields to every mark.
 */
export function toVega(spec: VegaLiteSpec, tooltips = false): VgSpec {
  const styled = withHouseStyle(spec);
  if (tooltips) {
    const config = styled.config as Record<string, unknown>;
    styled.config = { ...config, mark: { ...(config.mark as object | undefined), tooltip: { content: 'encoding' } } };
  }
  return compile(styled, { logger: quietLogger() }).spec;
}

/** Compiles and renders a spec: the SVG text and a PNG of the same size on white. */
export async function renderSpec(spec: VegaLiteSpec): Promise<{ svg: string; png: Buffer }> {
  const vegaSpec = toVega(spec);
  const view = new View(parse(vegaSpec), { renderer: 'none', logger: quietLogger() });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      background: 'white',
      font: { loadSystemFonts: true, fontDirs: EXTRA_FONT_DIRS, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

/** Writes `<base>.svg`, `<base>.png` and `<base>.vl.json` (the spec, to re-render or edit) into `dir`. */
export async function writePlot(dir: string, base: string, spec: VegaLiteSpec): Promise<string[]> {
  const { svg, png } = await renderSpec(spec);
  await mkdir(dir, { recursive: true });
  const paths = [join(dir, `${base}.svg`), join(dir, `${base}.png`), join(dir, `${base}.vl.json`)];
  await writeFile(paths[0], svg, 'utf8');
  await writeFile(paths[1], png);
  await writeFile(paths[2], JSON.stringify(spec, null, 2) + '\n', 'utf8');
  return paths;
}
