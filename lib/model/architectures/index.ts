/** Model architectures: the built-ins are registered on import. */
import { compactCnn } from './compact-cnn.ts';
import { reference3Conv } from './reference-3conv.ts';
import { registerArchitecture } from './registry.ts';
import { seedCnn } from './seed-cnn.ts';

export { buildModel, estimateCost, getArchitecture, listArchitectures, registerArchitecture } from './registry.ts';
export type { ArchitectureDefinition, ModelCost } from './registry.ts';
export type { BuildOptions } from './build.ts';
export type { LayerSpec } from './spec.ts';

export const DEFAULT_ARCHITECTURE = 'compact-cnn';

registerArchitecture('compact-cnn', compactCnn);
registerArchitecture('seed-cnn', seedCnn);
registerArchitecture('reference-3conv', reference3Conv);
