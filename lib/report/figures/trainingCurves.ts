/** Loss and accuracy per epoch for every fold, train (solid) vs validation (dashed), as a PNG. */
import type { TopLevelSpec } from 'vega-lite';
import type { FoldHistory } from '../types.ts';
import { vegaLiteToPng } from './render.ts';

interface CurveRow {
  fold: string;
  epoch: number;
  split: 'train' | 'validation';
  value: number;
  best: boolean;
}

/** Long-format rows for one metric: one row per fold × epoch × split present in the history. */
export function trainingCurveRows(history: FoldHistory[], metric: 'loss' | 'acc'): CurveRow[] {
  const rows: CurveRow[] = [];
  for (const h of history) {
    for (const e of h.epochs) {
      const best = e.epoch === h.bestEpoch;
      const fold = `fold ${h.fold}`;
      if (Number.isFinite(e[metric])) rows.push({ fold, epoch: e.epoch, split: 'train', value: e[metric], best });
      const val = metric === 'loss' ? e.val_loss : e.val_acc;
      if (val !== undefined && Number.isFinite(val)) rows.push({ fold, epoch: e.epoch, split: 'validation', value: val, best });
    }
  }
  return rows;
}

function panel(history: FoldHistory[], metric: 'loss' | 'acc', title: string, hasValidation: boolean) {
  const rows = trainingCurveRows(history, metric);
  const bestSplit = rows.some((r) => r.split === 'validation') ? 'validation' : 'train';
  return {
    title,
    width: 340,
    height: 230,
    data: { values: rows },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'Epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title, scale: { zero: false } },
      color: { field: 'fold', type: 'nominal' as const, title: 'Fold' },
    },
    layer: [
      {
        mark: { type: 'line' as const, strokeWidth: 2 },
        encoding: {
          strokeDash: {
            field: 'split',
            type: 'nominal' as const,
            title: 'Split',
            scale: hasValidation ? { domain: ['train', 'validation'], range: [[1, 0], [5, 3]] } : { domain: ['train'], range: [[1, 0]] },
          },
          detail: { field: 'split', type: 'nominal' as const },
        },
      },
      {
        transform: [{ filter: `datum.best && datum.split === '${bestSplit}'` }],
        mark: { type: 'point' as const, filled: true, size: 70, shape: 'diamond' },
      },
    ],
  };
}

/** The Vega-Lite spec: loss and accuracy side by side; diamonds mark each fold's best (kept) epoch. */
export function trainingCurvesSpec(history: FoldHistory[]): TopLevelSpec {
  if (history.length === 0 || history.every((h) => h.epochs.length === 0)) {
    throw new Error('capuchin: trainingCurves: no epochs in the training history. Fix: record one EpochRecord per epoch per fold.');
  }
  const hasValidation = history.some((h) => h.epochs.some((e) => e.val_loss !== undefined || e.val_acc !== undefined));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Training curves (${history.length} fold${history.length === 1 ? '' : 's'})`, subtitle: hasValidation ? 'solid = train, dashed = validation, ◆ = kept epoch' : 'train only (no validation recorded), ◆ = kept epoch' },
    hconcat: [panel(history, 'loss', 'Loss', hasValidation), panel(history, 'acc', 'Accuracy', hasValidation)],
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  } as TopLevelSpec;
}

export function trainingCurvesPng(history: FoldHistory[]): Promise<Uint8Array> {
  return vegaLiteToPng(trainingCurvesSpec(history));
}
