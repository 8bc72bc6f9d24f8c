/** lib/pipeline: the end-to-end jobs behind the commands and notebooks. */
export { runExperiment, type RunExperimentOptions, type ExperimentRun } from './experiment.ts';
export { runCount, type RunCountOptions, type CountRun } from './count.ts';
export { runTuneDetector, tuneOnTracks, type TuneRun, type TuneRunOptions } from './tuneDetector.ts';
export { writeCountOutputs, DETECTOR_CONFIG_FILE, RAVEN_DIR, type CountOutputOptions, type RecordingOutcome } from './countOutputs.ts';
export { mergeShards, readShard, writeMergedRun } from './mergeShards.ts';
