/**
 * The review's file formats, free of any import so that the browser's review app and the Node readers share
 * them: the verdicts a reviewer can give, verdicts.csv's columns, and the two export file names.
 */

/** A reviewer's decision on one detection; 'added' marks a call the reviewer added by clicking. */
export type Verdict = 'accept' | 'reject' | 'unsure' | 'added';

export const VERDICTS = ['accept', 'reject', 'unsure', 'added'] as const satisfies readonly Verdict[];
export const VERDICTS_FILE = 'verdicts.csv';
export const REVIEWED_CALLS_FILE = 'reviewed_calls.csv';
export const VERDICTS_COLUMNS = ['recording', 'detection', 'start_s', 'end_s', 'verdict', 'score'] as const;
