/** What a person marked in a recording: one call, and the tables that hold them. */

/** The annotation layouts capuchin reads, each detected from its header (detect.ts). */
export const ANNOTATION_LAYOUTS = ['raven', 'audacity', 'labels-calls', 'csv'] as const;
export type AnnotationLayout = (typeof ANNOTATION_LAYOUTS)[number];

export const LAYOUT_NAMES: Readonly<Record<AnnotationLayout, string>> = {
  raven: 'Raven Pro selection table',
  audacity: 'Audacity label track',
  'labels-calls': 'labels_calls.csv (recording,call_index,start_s,end_s)',
  csv: 'CSV with a file column and start/end or start/duration columns',
};

/** One annotated call, with where it was read (for errors). */
export interface Annotation {
  /**
   * The recording as the table names it: a file name (`x.wav`, the base name of a path), or, for a table that
   * holds one recording (a Raven table without `Begin File`, an Audacity label track), the table's name without
   * its suffixes (`x.Table.1.selections.txt` → `x`), matched to a recording by stem.
   */
  recording: string;
  start_s: number;
  end_s: number;
  lowHz?: number;
  highHz?: number;
  /** The row's class (Raven `Species`, PyHa `MANUAL ID`, an Audacity label's text); '' when the table has none. */
  label: string;
  source: string;
  /** 1-based line in `source`. */
  line: number;
}

/** One annotation file, read. */
export interface AnnotationTable {
  source: string;
  layout: AnnotationLayout;
  annotations: Annotation[];
  /**
   * The recordings this table declares fully annotated, with or without calls: the recording of a per-recording
   * table (an empty one means no calls), the recordings of a labels_calls.csv (rows with empty times name one
   * without calls), else those its rows name.
   */
  recordings: string[];
  /** The table has a class column (or label text), so --annotation-class can choose among its rows. */
  hasClasses: boolean;
}

/** Annotations of one recording, in start order, each still carrying its source and line. */
export type AnnotatedCalls = readonly Annotation[];
