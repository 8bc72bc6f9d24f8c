/** lib/detect: long recordings → window scores → one event per call → counts. */
export { resolveDetectorConfig, modelDetectorConfig, DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from './config.ts';
export { scoreTrackToEvents, smoothTrack, type DetectedEvent } from './events.ts';
export { WindowAssembler } from './windows.ts';
export { eventClip } from './eventClip.ts';
export { scoreRecording, scoreStream, type AudioChunks, type ScoredRecording, type ScoreOptions } from './scoreStream.ts';
export { countRecordings, selectShard, parseShard, type RecordingResult, type CountOptions } from './countRecordings.ts';
