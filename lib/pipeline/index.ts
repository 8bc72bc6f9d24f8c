/** lib/pipeline: the end-to-end jobs behind the commands and notebooks. */
export { runExperiment, type RunExperimentOptions, type ExperimentRun } from './experiment.ts';
export { runCount, type RunCountOptions, type CountRun } from './count.ts';
