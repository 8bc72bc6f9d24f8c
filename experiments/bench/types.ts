/** One row of `npm run bench`: ours next to a reference measured in the same run. */
export interface BenchRow {
  /** e.g. "mp3 decode + resample to 16 kHz" */
  task: string;
  /** what was processed, e.g. "20 files, 3600 s of audio" */
  workload: string;
  /** our implementation */
  ours: { name: string; seconds: number; throughput?: number; unit?: string };
  /** the reference, or null when it is not installed (the row then says so in `note`) */
  reference: { name: string; seconds: number; throughput?: number; unit?: string } | null;
  /** reference seconds / our seconds: > 1 means we are faster */
  speedRatio: number | null;
  /** the target for speedRatio, e.g. 0.5 */
  target?: number;
  note?: string;
  extra?: Record<string, number | string>;
}

export interface BenchContext {
  /** data folder in the Kaggle layout (bench uses its Forest Recordings) */
  dataDir: string;
  /** scratch folder for temporary files */
  tmpDir: string;
  /** `--quick`: fewer files, for smoke runs */
  quick: boolean;
}

export type BenchSuite = (ctx: BenchContext) => Promise<BenchRow[]>;
