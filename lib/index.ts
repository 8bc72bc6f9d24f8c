/** capuchin's public API, one namespace per pipeline stage. */
export * as audio from './audio/index.ts';
export * as features from './features/index.ts';
export * as data from './data/index.ts';
export * as model from './model/index.ts';
export * as evaluate from './evaluate/index.ts';
export * as detect from './detect/index.ts';
export * as report from './report/index.ts';
export * as records from './records/index.ts';
export * as pipeline from './pipeline/index.ts';
