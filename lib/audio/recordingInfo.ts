/**
 * Where and when a recording was made: its site (from its folder, `--site-pattern` or `--site`) and its
 * start time (GUANO metadata in the file, else the comment an AudioMoth writes into it, else `--time-pattern`,
 * else an AudioMoth or Song Meter file name).
 */
import { sourceOf, type ByteSource } from './byteSource.ts';
import { readGuano } from './guano.ts';
import { readWavComment, startFromAudioMothComment } from './wavComment.ts';
import { isoAt, startFromIso, startFromPattern, startFromRecorderName, type RecordingStart, type TimePattern } from './recordingTime.ts';

export interface RecordingInfoOptions {
  /** A strftime-style pattern for file names no recorder rule reads (compileTimePattern). */
  timePattern?: TimePattern;
  /** The recorders' fixed offset from UTC in minutes, for names and timestamps that carry none (AudioMoth names default to UTC). */
  utcOffsetMinutes?: number;
  /** One site name for every recording (wins over the folder). */
  site?: string;
  /** A regular expression over the recording id whose named group `site` (or first group) is the site. */
  sitePattern?: RegExp;
}

export interface RecordingInfo {
  site: string;
  start?: RecordingStart;
}

/**
 * The site of a recording id: `--site`, else the `--site-pattern` match, else the first folder of the id
 * (`siteA/sd1/x.WAV` → siteA), else the name of the folder that was counted.
 */
export function siteOf(recording: string, countedFolderName: string, opts: RecordingInfoOptions = {}): string {
  if (opts.site !== undefined) return opts.site;
  if (opts.sitePattern) {
    const m = opts.sitePattern.exec(recording);
    return m ? (m.groups?.site ?? m[1] ?? m[0]) : '';
  }
  const cut = recording.indexOf('/');
  return cut > 0 ? recording.slice(0, cut) : countedFolderName;
}

/** The start time of a recording from its name alone (no file read): `--time-pattern`, else the recorder naming rules. */
export function startFromName(file: string, opts: RecordingInfoOptions = {}): RecordingStart | undefined {
  if (opts.timePattern) {
    const t = startFromPattern(file, opts.timePattern, opts.utcOffsetMinutes);
    if (t) return t;
  }
  return startFromRecorderName(file, opts.utcOffsetMinutes);
}

/** Site and start time of one file from its name alone (the file is not opened). */
export function recordingInfoFromName(file: string, recording: string, countedFolderName: string, opts: RecordingInfoOptions = {}): RecordingInfo {
  return { site: siteOf(recording, countedFolderName, opts), start: startFromName(file, opts) };
}

/**
 * Site and start time of one file (a path, or a ByteSource in the browser). GUANO's Timestamp wins, then an
 * AudioMoth comment (its offset is the recorder's), then the name; a file that cannot be read falls back to its name.
 */
export async function readRecordingInfo(input: string | ByteSource, recording: string, countedFolderName: string, opts: RecordingInfoOptions = {}): Promise<RecordingInfo> {
  const file = typeof input === 'string' ? input : input.name;
  let start: RecordingStart | undefined;
  if (/\.wav$/i.test(file)) {
    // one open for both metadata reads (each reads only chunk headers and its own chunk)
    const opened = await sourceOf(input).catch(() => undefined);
    if (opened) {
      try {
        const stamp = (await readGuano(opened.source).catch(() => undefined))?.['Timestamp'];
        if (stamp) start = startFromIso(stamp, 'guano', opts.utcOffsetMinutes);
        if (!start) {
          const comment = await readWavComment(opened.source).catch(() => undefined);
          if (comment) start = startFromAudioMothComment(comment);
        }
      } finally {
        if (opened.owned) await opened.source.close();
      }
    }
  }
  start ??= startFromName(file, opts);
  return { site: siteOf(recording, countedFolderName, opts), start };
}

/** The ISO 8601 time of a moment `sec` into the recording, when its start is known. */
export function timeAt(info: RecordingInfo | undefined): ((sec: number) => string) | undefined {
  const start = info?.start;
  return start ? (sec) => isoAt(start, sec) : undefined;
}
