/** lib/report: figures, HTML reports and tables for classifier experiments. */
export * from './figures/index.ts';
export { type EpochRecord, type FoldHistory, type OofPrediction, type ExperimentResult, ExperimentResultSchema, parseExperimentResult } from './types.ts';
export { htmlReport, tableHtml, escapeHtml, scriptJson, formatNumber, type HtmlReport, type Section, type Table, type TableCell, type PlotlyFigure } from './plotlyHtml.ts';
export { plotlyJs, isSafeInlineScript } from './plotlyBundle.ts';
export { trainingCurveFigure, rocFigure, prFigure, confusionFigure, scoreHistogramFigure } from './classifierFigures.ts';
export { classifierReportHtml, worstErrors, perFoldRows, binaryClassificationReport, type ClassifierReportOptions } from './classifierReport.ts';
export { compareReportHtml, metricDotFigure, costFigure } from './compareReport.ts';
export { encodeWav16, wavDataUri, relativeAudioHref } from './audioClips.ts';
export { oofPredictionsCsv, writeOofPredictionsCsv, compareCsv, compareRows, writeCompareCsv, quoteCsvField, OOF_COLUMNS } from './tables.ts';
export { writeExperimentReport, compareReport, commitFiles, metricsJson, EXPERIMENT_FILES, type ExperimentReportExtras } from './writeExperiment.ts';
export { writeCountOutputs, readResultsCsv, readDetectionsCsv, readErrorsCsv, resultsCsv, type ResultsFormat } from './results.ts';
export { ravenTable, writeRavenTable, readRavenTable, RAVEN_TABLE_HEADER } from './raven.ts';
export { reviewHtml, writeReviewHtml, type ReviewRecording } from './reviewHtml.ts';
export { readShard, mergeShards, writeMergedRun } from './mergeShards.ts';
export { countEvalTable, readCountLabels, readLabelFiles, writeCountEval } from './countEvalReport.ts';
