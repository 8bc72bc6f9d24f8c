/**
 * The labelled clip set in the Kaggle layout: Parsed_Capuchinbird_Clips/ (label 1) and
 * Parsed_Not_Capuchinbird_Clips/ (label 0), each clip tagged with its source recording (group).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { emptyFolderError, scanAudioFolder, type SkippedEntry } from '../audio/listing.ts';
import { groupOf } from './groups.ts';
import { NEGATIVE_DIR, POSITIVE_DIR } from './paths.ts';

export { groupOf };

export type ClipLabel = 0 | 1;

export interface ClipRecord {
  /** Absolute path. */
  readonly file: string;
  /** File name with extension, e.g. `XC3776-3.wav`. */
  readonly name: string;
  /** 1 = Capuchinbird call, 0 = anything else. */
  readonly label: ClipLabel;
  /** Source recording (see groupOf in groups.ts); clips of one group never straddle a split. */
  readonly group: string;
}

/** The class folders and the label each gives its clips. */
export const CLASS_FOLDERS: readonly { dir: string; label: ClipLabel }[] = [
  { dir: POSITIVE_DIR, label: 1 },
  { dir: NEGATIVE_DIR, label: 0 },
];

/**
 * Every clip of a data folder in the Kaggle layout, positives first, each class sorted by name.
 * Throws when a class folder is missing or holds no audio, naming the folder and the fix.
 */
export function listClips(dataDir: string): ClipRecord[] {
  return scanClips(dataDir).clips;
}

/** listClips, plus the audio-looking entries it leaves out (links to nothing, FIFOs, other formats), each with its reason. */
export function scanClips(dataDir: string): { clips: ClipRecord[]; skipped: SkippedEntry[] } {
  const skipped: SkippedEntry[] = [];
  const root = resolve(dataDir);
  const clips: ClipRecord[] = [];
  for (const { dir } of CLASS_FOLDERS) {
    const folder = join(root, dir);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new Error(
        `capuchin: clip folder ${folder} does not exist. Fix: pass --data DIR (or set CAPUCHIN_DATA) to the Kaggle ` +
          `download, the folder that holds ${POSITIVE_DIR}/ and ${NEGATIVE_DIR}/.`,
      );
    }
  }
  for (const { dir, label } of CLASS_FOLDERS) {
    const folder = join(root, dir);
    const scan = scanAudioFolder(folder);
    if (scan.files.length === 0) throw emptyFolderError(folder);
    skipped.push(...scan.skipped);
    for (const file of scan.files) {
      const name = basename(file);
      clips.push({ file, name, label, group: groupOf(name) });
    }
  }
  return { clips, skipped };
}

export interface ClipSummary {
  clips: number;
  positives: number;
  negatives: number;
  groups: number;
  /** Groups holding at least one clip of the class. */
  positiveGroups: number;
  negativeGroups: number;
}

export function summarizeClips(clips: readonly Pick<ClipRecord, 'label' | 'group'>[]): ClipSummary {
  const all = new Set<string>();
  const pos = new Set<string>();
  const neg = new Set<string>();
  let positives = 0;
  for (const c of clips) {
    all.add(c.group);
    if (c.label === 1) {
      positives++;
      pos.add(c.group);
    } else neg.add(c.group);
  }
  return {
    clips: clips.length,
    positives,
    negatives: clips.length - positives,
    groups: all.size,
    positiveGroups: pos.size,
    negativeGroups: neg.size,
  };
}
