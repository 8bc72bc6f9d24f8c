/** lib/report: figures, HTML reports and text tables: it renders results, it reads no data files. */
export * from './figures/index.ts';
export { type EpochRecord, type FoldHistory, type OofPrediction, type ExperimentResult, ExperimentResultSchema, parseExperimentResult } from './types.ts';
export { htmlReport, tableHtml, escapeHtml, scriptJson, formatNumber, type HtmlReport, type Section, type Table, type TableCell, type PlotlyFigure } from './plotlyHtml.ts';
export { plotlyJs, isSafeInlineScript } from './plotlyBundle.ts';
export { rocFigure, prFigure, scoreHistogramFigure } from './classifierFigures.ts';
export { classifierReportHtml, worstErrors, perFoldRows, binaryClassificationReport, type ClassifierReportOptions } from './classifierReport.ts';
export { compareReportHtml, metricDotFigure, costFigure } from './compareReport.ts';
export { encodeWav16, wavDataUri, relativeAudioHref } from './audioClips.ts';
export { oofPredictionsCsv, writeOofPredictionsCsv, compareCsv, compareRows, writeCompareCsv, OOF_COLUMNS } from './tables.ts';
export { writeExperimentReport, compareReport, commitFiles, metricsJson, EXPERIMENT_FILES, type ExperimentReportExtras } from './writeExperiment.ts';
export { countEvalTable } from './countEvalTable.ts';
export { ReviewWriter, type ReviewAudioMode, type ReviewInput } from './review/writer.ts';
