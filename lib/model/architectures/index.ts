/** Model architectures: the built-ins are registered on import. */
import { compactCnn } from './compactCnn.ts';
import { compactCnnFlat } from './compactCnnFlat.ts';
import { reference3Conv } from './reference3Conv.ts';
import { registerArchitecture } from './registry.ts';
import { seedCnn } from './seedCnn.ts';

export { buildModel, estimateCost, getArchitecture, listArchitectures, registerArchitecture } from './registry.ts';
export type { ArchitectureDefinition, ModelCost } from './registry.ts';
export type { BuildOptions } from './build.ts';
export type { LayerSpec } from './spec.ts';

export const DEFAULT_ARCHITECTURE = 'compact-cnn';

registerArchitecture('compact-cnn', compactCnn);
registerArchitecture('compact-cnn-flat', compactCnnFlat);
registerArchitecture('seed-cnn', seedCnn);
registerArchitecture('reference-3conv', reference3Conv);
