/** lib/evaluate: metric functions over labels and scores (clips) and over counts and call times (recordings); plain values in, plain objects out, no plotting. */
export { checkBinary, classCounts, type Labels, type Scores } from './validate.ts';
export { binaryCounts, type BinaryCounts } from './curve.ts';
export { confusion, confusionFromPredictions, confusionMatrix, precision, recall, f1, accuracy, type Confusion } from './confusion.ts';
export { rocCurve, rocAuc, type RocCurve } from './roc.ts';
export { prCurve, prAuc, type PrCurve } from './pr.ts';
export { chooseThreshold, chooseThresholdDetailed, THRESHOLD_METRICS, type ThresholdMetric, type ThresholdOptions, type ThresholdChoice } from './threshold.ts';
export { bootstrapCi, bootstrapMany, mulberry32, quantileSorted, type BootstrapOptions, type Interval, type MetricFn } from './bootstrap.ts';
export { summarize, SUMMARY_METRICS, type Summary, type SummaryMetric, type SummarizeOptions, type ConfidenceInterval } from './summarize.ts';
export { evaluateCounts, evaluateProcessed, matchStarts, eventScores, writeCountEval, COUNT_EVAL_FILE, DEFAULT_MATCH_TOLERANCE_SEC, type CountEvalReport, type RecordingCountEval, type EventScores } from './countEval.ts';
export { classificationReport, classificationTable, pythonFixed, type ClassificationTable, type ClassRow, type ClassificationReportOptions } from './classificationReport.ts';
