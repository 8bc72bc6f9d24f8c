/** A confusion matrix heatmap (counts and row percentages) as a PNG. */
import type { TopLevelSpec } from 'vega-lite';
import { confusionMatrix, type Confusion } from '../../evaluate/confusion.ts';
import { vegaLiteToPng } from './render.ts';

/** Default class names for capuchin's binary task, in label order 0, 1. */
export const BINARY_CLASS_NAMES = ['not capuchin', 'capuchin'];

/** The class names of a target's binary task: the default ones for the Capuchinbird (or none), else `not <name>`, `<name>`. */
export function classNames(target?: { name: string }): string[] {
  return !target || target.name.trim().toLowerCase() === 'capuchinbird' ? BINARY_CLASS_NAMES : [`not ${target.name}`, target.name];
}

/** Accepts an n×n matrix (rows = true class, columns = predicted, sklearn's layout) or binary counts. */
export function toMatrix(cm: number[][] | Confusion): number[][] {
  const m = Array.isArray(cm) ? cm : confusionMatrix(cm);
  if (m.length === 0 || m.some((row) => row.length !== m.length || row.some((v) => !Number.isFinite(v) || v < 0))) {
    throw new Error('capuchin: confusionMatrix: expected a square matrix of non-negative counts (rows = true class, columns = predicted).');
  }
  return m;
}

export function confusionMatrixSpec(cm: number[][] | Confusion, labels: string[] = BINARY_CLASS_NAMES, title = 'Confusion matrix'): TopLevelSpec {
  const m = toMatrix(cm);
  if (labels.length !== m.length) {
    throw new Error(`capuchin: confusionMatrix: ${labels.length} labels for a ${m.length}×${m.length} matrix. Fix: one label per class.`);
  }
  const max = Math.max(1, ...m.flat());
  const values = m.flatMap((row, i) => {
    const rowTotal = row.reduce((s, v) => s + v, 0);
    return row.map((count, j) => ({
      actual: labels[i],
      predicted: labels[j],
      count,
      percent: rowTotal === 0 ? '–' : `${((100 * count) / rowTotal).toFixed(1)}% of row`,
      dark: count > max / 2,
    }));
  });
  const side = 110 * m.length;
  const axis = (field: string, title: string) => ({ field, type: 'nominal' as const, title, sort: labels, axis: { labelAngle: 0 } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: side,
    height: side,
    data: { values },
    encoding: { x: axis('predicted', 'Predicted'), y: axis('actual', 'True') },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: 'Clips', scale: { scheme: 'blues', domainMin: 0 } } } },
      {
        mark: { type: 'text', fontSize: 20, fontWeight: 'bold', dy: -8 },
        encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } },
      },
      {
        mark: { type: 'text', fontSize: 11, dy: 14 },
        encoding: { text: { field: 'percent', type: 'nominal' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } },
      },
    ],
  } as TopLevelSpec;
}

/** Confusion matrix PNG; `cm` rows are true classes, columns predicted, `labels` name them in order. */
export function confusionMatrixPng(cm: number[][] | Confusion, labels: string[] = BINARY_CLASS_NAMES, title?: string): Promise<Uint8Array> {
  return vegaLiteToPng(confusionMatrixSpec(cm, labels, title));
}
