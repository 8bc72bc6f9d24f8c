/**
 * The labelled clip set: two folders, positives (label 1) and negatives (label 0), each clip tagged with its
 * source recording (group). The Kaggle layout's are Parsed_Capuchinbird_Clips/ and
 * Parsed_Not_Capuchinbird_Clips/ under the data folder; `--positives DIR --negatives DIR [--groups REGEX]` name
 * any two.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { emptyFolderError, scanAudioFolder, type SkippedEntry } from '../audio/listing.ts';
import { groupOf } from './groups.ts';
import { NEGATIVE_DIR, POSITIVE_DIR } from './paths.ts';

export { groupOf };

export type ClipLabel = 0 | 1;

/** Where the clips are, and how a clip's source recording is read from its name. */
export interface ClipFolders {
  positives: string;
  negatives: string;
  /** The source group is the first capture group (else the whole match) of this on the file name; default groupOf. */
  groups?: RegExp;
}

/** The Kaggle layout's class folders under a data folder. */
export function kaggleClipFolders(dataDir: string): ClipFolders {
  const root = resolve(dataDir);
  return { positives: join(root, POSITIVE_DIR), negatives: join(root, NEGATIVE_DIR) };
}

/** A clip's group by `pattern` (its first capture group, else the whole match); throws naming the file when it does not match. */
export function groupByPattern(fileName: string, pattern: RegExp): string {
  const m = pattern.exec(basename(fileName));
  if (!m) {
    throw new Error(
      `capuchin: clip ${basename(fileName)} does not match --groups ${pattern}, so its source recording is unknown. ` +
        'Fix: change the pattern so that it matches every clip name (its first capture group is the recording), or rename the clip.',
    );
  }
  return m[1] ?? m[0];
}

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

/**
 * Every clip of the two folders (a data folder in the Kaggle layout, or named folders), positives first, each
 * class sorted by name. Throws when a class folder is missing or holds no audio, naming the folder and the fix.
 */
export function listClips(source: string | ClipFolders): ClipRecord[] {
  return scanClips(source).clips;
}

/** listClips, plus the audio-looking entries it leaves out (links to nothing, FIFOs, other formats), each with its reason. */
export function scanClips(source: string | ClipFolders): { clips: ClipRecord[]; skipped: SkippedEntry[] } {
  const folders = typeof source === 'string' ? kaggleClipFolders(source) : source;
  const classes = [
    { dir: resolve(folders.positives), label: 1 as const, flag: '--positives' },
    { dir: resolve(folders.negatives), label: 0 as const, flag: '--negatives' },
  ];
  for (const { dir, flag } of classes) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(
        typeof source === 'string'
          ? `capuchin: clip folder ${dir} does not exist. Fix: pass --data DIR (or set CAPUCHIN_DATA) to the Kaggle download, the folder that holds ${POSITIVE_DIR}/ and ${NEGATIVE_DIR}/, or name the clip folders with --positives DIR --negatives DIR.`
          : `capuchin: clip folder ${dir} (${flag}) does not exist. Fix: pass ${flag} a folder of audio clips.`,
      );
    }
  }
  if (classes[0].dir === classes[1].dir) throw new Error(`capuchin: --positives and --negatives are both ${classes[0].dir}. Fix: put each class in its own folder.`);
  const skipped: SkippedEntry[] = [];
  const clips: ClipRecord[] = [];
  for (const { dir, label } of classes) {
    const scan = scanAudioFolder(dir);
    if (scan.files.length === 0) throw emptyFolderError(dir);
    skipped.push(...scan.skipped);
    for (const file of scan.files) {
      const name = basename(file);
      clips.push({ file, name, label, group: folders.groups ? groupByPattern(name, folders.groups) : groupOf(name) });
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
