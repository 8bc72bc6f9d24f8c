/** lib/detect: long recordings → window scores → one event per call → counts and their accuracy. */
export { resolveDetectorConfig, DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from './config.ts';
export { scoreTrackToEvents, smoothTrack, type DetectedEvent } from './events.ts';
export { WindowAssembler } from './windows.ts';
export { scoreRecording, type ScoredRecording, type ScoreOptions } from './scoreRecording.ts';
export { countRecordings, selectShard, parseShard, type RecordingResult, type CountOptions } from './countRecordings.ts';
export { evaluateCounts, matchStarts, type CountEvalReport } from './countEval.ts';
