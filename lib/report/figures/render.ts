/**
 * Vega-Lite spec → SVG (vega, headless, no browser) → PNG (@resvg/resvg-js with the system fonts).
 * Text needs a system font: Debian's fonts-dejavu-core (CI installs it).
 */
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Font used for every figure; DejaVu Sans ships with fonts-dejavu-core. */
export const FIGURE_FONT = 'DejaVu Sans';

const BASE_CONFIG = {
  font: FIGURE_FONT,
  background: 'white',
  view: { stroke: '#ddd' },
  title: { fontSize: 15 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

export interface RenderOptions {
  /** Pixel scale for the PNG (2 = retina-sharp). */
  scale?: number;
}

/** Render a Vega-Lite spec to an SVG string (default fonts and white background merged into its config). */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...BASE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new View(parse(compile(withConfig).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG string to PNG bytes. */
export function svgToPng(svg: string, options: RenderOptions = {}): Uint8Array {
  const scale = options.scale ?? 2;
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT, sansSerifFamily: FIGURE_FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Render a Vega-Lite spec to PNG bytes (no browser). */
export async function vegaLiteToPng(spec: TopLevelSpec, options: RenderOptions = {}): Promise<Uint8Array> {
  return svgToPng(await vegaLiteToSvg(spec), options);
}

/** A small PNG that says there is nothing to plot (so a stale figure from an earlier run is replaced). */
export function noDataPng(title: string, message: string): Promise<Uint8Array> {
  return vegaLiteToPng({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 360,
    height: 120,
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 14, color: '#555' },
    encoding: { text: { field: 'message', type: 'nominal' } },
    config: { view: { stroke: null } },
  } as TopLevelSpec);
}
