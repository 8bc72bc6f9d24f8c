/** lib/records public API: the records that travel through the pipeline (counts, calls, labels, errors) and their files. */
export { CALLS_COLUMNS, CONTEST_COLUMNS, RESULTS_COLUMNS, RESULTS_FILE, RESULTS_FORMATS, defaultResultsFormat, readResultsCsv, resultRowsForFolder, resultsCsv, resultsFormatOf, writeResultsCsv, type ResultRow, type ResultsFormat } from './results.ts';
export { DETECTIONS_COLUMNS, DETECTIONS_FILE, detectionRowsFromEvents, detectionsCsv, readDetectionsCsv, writeDetectionsCsv, type CallLabel, type DetectionRow } from './detections.ts';
export { ERRORS_COLUMNS, ERRORS_FILE, errorsCsv, readErrorsCsv, writeErrorsCsv, type ErrorRow } from './errors.ts';
export { WARNINGS_COLUMNS, WARNINGS_FILE, readWarningsCsv, warningsCsv, writeWarningsCsv, type WarningRow } from './warnings.ts';
export { LABELS_CALLS_FILE, LABELS_COUNTS_FILE, readCountLabels, readLabelFiles, readLabelledRecordings, type CallSpan, type CountLabel, type CountLabels } from './labels.ts';
export { DEFAULT_CALL_BAND_HZ, RAVEN_SUFFIX, RAVEN_TABLE_HEADER, ravenFileName, ravenFileNames, ravenTable, readRavenTable, writeRavenTable, type RavenOptions } from './raven.ts';
export { labelledRecordingsCsv, readVerdictsCsv, verdictsCsv, writeVerdictsCsv, type VerdictRow } from './verdicts.ts';
export { AUDACITY_SUFFIX, audacityFileName, audacityLabels, readAudacityLabels, writeAudacityLabels, type AudacityLabel } from './audacity.ts';
export { CAPUCHINBIRD_TARGET, describeTarget, isCapuchinbird, resolveTarget, targetOfModel, type Labelling, type Target, type TargetInput } from './target.ts';
export { annotationLayoutOf, readAnnotationFile, readAnnotations, type Annotation, type AnnotationLayout, type AnnotationSet } from './annotations/index.ts';
