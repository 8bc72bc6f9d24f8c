import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../data/paths.ts';
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig } from './trainConfig.ts';

const RECIPE = ['maxEpochs', 'lrSchedule', 'earlyStopping', 'learningRate', 'batchSize'] as const;

test("train defaults are the Capuchinbird configs' recipe: a partial --config gets it, not early stopping with a constant rate", () => {
  const dir = join(REPO_ROOT, 'experiments', 'configs');
  const recipes = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, train: resolveTrainConfig(JSON.parse(readFileSync(join(dir, f), 'utf8')).train ?? {}) }))
    // the original project's reproduction, the species recipe and the demo's tiny batches differ on purpose
    .filter(({ f }) => !['seed-cnn.json', 'species.json', 'demo.json'].includes(f));
  assert.ok(recipes.length >= 8, `${recipes.length} configs`);
  for (const { f, train } of recipes) for (const k of RECIPE) assert.equal(train[k], DEFAULT_TRAIN_CONFIG[k], `${f}: train.${k}`);
  assert.deepEqual(
    RECIPE.map((k) => resolveTrainConfig({ maxEpochs: 3 })[k]),
    [3, 'cosine', false, 0.002, 32],
  );
});
