/** Listing the audio files of a folder, with clear errors for a wrong path and a reason for every file left out. */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AudioError } from './errors.ts';
import { CONVERTIBLE_EXTENSIONS, extensionOf, isAudioFileName } from './formats.ts';

/** A name in the folder that looks like audio but will not be read, and why. */
export interface SkippedEntry {
  /** Full path. */
  file: string;
  reason: 'not-a-regular-file' | 'dangling-link' | 'unsupported-codec';
  message: string;
}

export interface FolderScan {
  /** The audio files (AUDIO_EXTENSIONS) that are regular files (links to them included), full paths, sorted by name. */
  files: string[];
  /** Audio-looking names left out: links to nothing, FIFOs, devices or folders named .wav, formats not decoded. */
  skipped: SkippedEntry[];
}

function checkFolder(dir: string): string {
  const folder = resolve(dir);
  if (!existsSync(folder)) {
    throw new AudioError(folder, 'missing', 'the folder does not exist', 'check the path (or pass --data DIR pointing at the Kaggle download)');
  }
  if (!statSync(folder).isDirectory()) {
    throw new AudioError(folder, 'not-a-folder', 'this is a file, not a folder', 'pass the folder that holds the audio files');
  }
  return folder;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every entry of `dir` whose name is audio: readable regular files (.wav, .mp3, .flac, .ogg, .opus) go to `files`; the rest,
 * each with its reason, to `skipped` (a FIFO named .wav would block a reader, a device would never end).
 */
export function scanAudioFolder(dir: string): FolderScan {
  const folder = checkFolder(dir);
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  const names = readdirSync(folder).sort(byCodePoint);
  for (const name of names) {
    const path = join(folder, name);
    const ext = extensionOf(name);
    if (!isAudioFileName(name)) {
      if (CONVERTIBLE_EXTENSIONS.has(ext)) {
        skipped.push({ file: path, reason: 'unsupported-codec', message: `capuchin: ${path}: ${ext} files are not decoded by capuchin (it reads .wav, .mp3, .flac, .ogg, .opus) (unsupported-codec). Fix: convert it: ffmpeg -i "${path}" -c:a pcm_s16le "${path.slice(0, -ext.length)}.wav"` });
      }
      continue;
    }
    let info;
    try {
      info = statSync(path); // follows links
    } catch {
      if (lstatSync(path).isSymbolicLink()) {
        skipped.push({ file: path, reason: 'dangling-link', message: `capuchin: ${path}: a symbolic link to a file that does not exist (dangling-link). Fix: restore its target or delete the link` });
        continue;
      }
      throw new AudioError(path, 'missing', 'the file vanished while the folder was read', 'do not move files while capuchin reads the folder');
    }
    if (info.isFile()) files.push(path);
    else {
      const what = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : 'a device';
      skipped.push({ file: path, reason: 'not-a-regular-file', message: `capuchin: ${path}: ${what}, not a regular audio file (not-a-regular-file). Fix: move it out of the folder, or rename it` });
    }
  }
  return { files, skipped };
}

/**
 * The audio files (.wav, .mp3, .flac, .ogg, .opus; any case) directly inside `dir`, as full paths, sorted by name (code-point order,
 * the same on every machine); entries that cannot be read as files are left out (scanAudioFolder says why).
 * Throws AudioError 'missing', 'not-a-folder' or 'empty-folder'.
 */
export function listAudioFiles(dir: string): string[] {
  const { files } = scanAudioFolder(dir);
  if (files.length === 0) throw emptyFolderError(dir);
  return files;
}

/** The error for a folder with no audio file capuchin can read. */
export function emptyFolderError(dir: string): AudioError {
  return new AudioError(resolve(dir), 'empty-folder', 'the folder holds no .wav, .mp3, .flac, .ogg or .opus files', 'put the audio files there, or point at the right folder');
}
