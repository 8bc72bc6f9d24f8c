import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURE_NAMES, FRAME_EXTRACTORS, isFeatureName } from './registry.ts';

const folder = fileURLToPath(new URL('./extractors/', import.meta.url));

test('the registry and lib/features/extractors/ list the same extractors, each under its file name', async () => {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual([...FEATURE_NAMES].sort(), files);
  for (const name of files) {
    const mod = (await import(`./extractors/${name}.ts`)) as { default: unknown };
    assert.equal(mod.default, FRAME_EXTRACTORS[name as keyof typeof FRAME_EXTRACTORS], `${name}.ts default export`);
    assert.equal((mod.default as { name: string }).name, name);
  }
  assert.ok(isFeatureName('rms'));
  assert.ok(!isFeatureName('toString'));
});
