/** lib/report/figures: static PNG figures rendered headless (Vega-Lite → vega SVG → resvg PNG). */
export { vegaLiteToSvg, vegaLiteToPng, svgToPng, FIGURE_FONT, type RenderOptions } from './render.ts';
export { trainingCurvesSpec, trainingCurvesPng, trainingCurveRows } from './trainingCurves.ts';
export { confusionMatrixSpec, confusionMatrixPng, toMatrix, BINARY_CLASS_NAMES } from './confusionMatrix.ts';
