import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionMatrixPng, confusionMatrixSpec } from './confusionMatrix.ts';
import { darkFraction, decodePng, distinctColours, PNG_SIGNATURE } from '../__fixtures__/png.ts';
import { noDataPng, svgToPng, vegaLiteToPng, vegaLiteToSvg } from './render.ts';
import { trainingCurvesPng, trainingCurvesSpec } from './trainingCurves.ts';
import type { FoldHistory } from '../types.ts';

const history: FoldHistory[] = [0, 1].map((fold) => ({
  fold,
  bestEpoch: 4,
  epochs: Array.from({ length: 6 }, (_, i) => ({
    epoch: i + 1,
    loss: 0.7 - 0.1 * i + 0.02 * fold,
    acc: 0.6 + 0.05 * i,
    val_loss: 0.75 - 0.08 * i,
    val_acc: 0.55 + 0.05 * i - 0.01 * fold,
    seconds: 1,
  })),
}));

const svgSize = (svg: string) => {
  const m = /<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/.exec(svg);
  assert.ok(m, 'svg has width and height');
  return { width: Number(m[1]), height: Number(m[2]) };
};

test('text is really rendered: a title-only chart has dark pixels only where the title is', async () => {
  const spec = { title: 'Capuchinbird', width: 200, height: 60, data: { values: [] }, mark: 'point' } as const;
  const png = decodePng(await vegaLiteToPng(spec as never, { scale: 1 }));
  assert.ok(darkFraction(png, 0, 0, png.width, 30) > 0.01, 'title glyphs are drawn (a system font was found)');
  assert.equal(darkFraction(png, 0, 40, png.width, png.height), 0, 'nothing dark below the title');
});

test('training curves: a valid PNG of the SVG size × 2, many colours, axis titles and folds in the SVG', async () => {
  const spec = trainingCurvesSpec(history);
  const svg = await vegaLiteToSvg(spec);
  for (const text of ['Loss', 'Accuracy', 'Epoch', 'fold 0', 'fold 1', 'validation', 'Training curves (2 folds)']) {
    assert.ok(svg.includes(`>${text}<`), `SVG shows "${text}"`);
  }
  const bytes = await trainingCurvesPng(history);
  assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
  const png = decodePng(bytes);
  const size = svgSize(svg);
  assert.deepEqual([png.width, png.height], [size.width * 2, size.height * 2]);
  assert.ok(distinctColours(png) > 50, `distinct colours ${distinctColours(png)}`);
  assert.ok(darkFraction(png, 0, 0, png.width, png.height) > 0.005);
});

test('training curves mark each fold’s kept epoch and skip missing validation values', async () => {
  const noVal: FoldHistory[] = [{ fold: 3, bestEpoch: 2, epochs: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, acc: 0.5 + epoch / 10, seconds: 1 })) }];
  const svg = await vegaLiteToSvg(trainingCurvesSpec(noVal));
  assert.ok(svg.includes('>fold 3<'));
  assert.ok(!svg.includes('>validation<'), 'no validation legend entry without validation data');
  assert.ok(svg.includes('>train only (no validation recorded), ◆ = kept epoch<'));
  const diamonds = (s: string) => (s.match(/aria-roledescription="point"/g) ?? []).length;
  assert.equal(diamonds(svg), 2, 'one kept-epoch marker per panel');
  assert.equal(diamonds(await vegaLiteToSvg(trainingCurvesSpec(history))), 4, 'two folds × two panels');
  assert.throws(() => trainingCurvesSpec([{ fold: 0, bestEpoch: 0, epochs: [] }]), /no epochs in the training history/);
});

test('confusion matrix: counts and row percentages in the SVG, white text on dark cells, PNG decodes', async () => {
  const cm = { tp: 190, fp: 21, tn: 572, fn: 27 };
  const svg = await vegaLiteToSvg(confusionMatrixSpec(cm));
  for (const text of ['572', '21', '27', '190', '96.5% of row', '87.6% of row', 'not capuchin', 'Predicted', 'True']) {
    assert.ok(svg.includes(`>${text}<`), `SVG shows "${text}"`);
  }
  assert.match(svg, /fill="white">572</, 'white count on the darkest cell');
  assert.match(svg, /fill="black">21</, 'black count on a light cell');
  const png = decodePng(await confusionMatrixPng(cm));
  assert.deepEqual([png.width, png.height], [svgSize(svg).width * 2, svgSize(svg).height * 2]);
  assert.ok(distinctColours(png) > 20);
  const threeByThree = await vegaLiteToSvg(confusionMatrixSpec([[5, 1, 0], [2, 7, 1], [0, 0, 9]], ['a', 'b', 'c']));
  assert.ok(threeByThree.includes('>70.0% of row<') && threeByThree.includes('>83.3% of row<'));
  assert.throws(() => confusionMatrixSpec([[1, 2]], ['a']), /square matrix/);
  assert.throws(() => confusionMatrixSpec(cm, ['only one']), /1 labels for a 2×2 matrix/);
});

test('noDataPng says so in text; decodePng rejects non-PNG bytes', async () => {
  const png = decodePng(await noDataPng('Training curves', 'No training history was recorded'));
  assert.ok(darkFraction(png, 0, 0, png.width, png.height) > 0.001);
  assert.throws(() => decodePng(new TextEncoder().encode('<svg/>')), /not a PNG/);
  assert.throws(() => svgToPng('not svg'));
});
