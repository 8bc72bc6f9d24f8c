/** Listing the audio files of a folder, with clear errors for a wrong path and a reason for every file left out. */
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
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
  /** The scanned folder, absolute: recording ids are paths relative to it. */
  root: string;
  /** The audio files (AUDIO_EXTENSIONS) that are regular files (links to them included), full paths, sorted by recording id. */
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
 * A recording's id: its path relative to the scanned folder with `/` separators (`siteA/20240301_053000.WAV`);
 * for a file directly in the folder, its file name.
 */
export function recordingIdOf(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export interface ScanOptions {
  /** Also scan subfolders (not hidden ones, like `.partial` output or `.ipynb_checkpoints`), following links to folders once. */
  recursive?: boolean;
}

/**
 * Every entry of `dir` whose name is audio: readable regular files (.wav, .mp3, .flac, .ogg, .opus) go to `files`; the rest,
 * each with its reason, to `skipped` (a FIFO named .wav would block a reader, a device would never end).
 * With `recursive`, subfolders are scanned too and files are sorted by their relative path.
 */
export function scanAudioFolder(dir: string, opts: ScanOptions = {}): FolderScan {
  const root = checkFolder(dir);
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  const visited = new Set<string>();
  const walk = (folder: string) => {
    const real = realpathSync(folder);
    if (visited.has(real)) return; // a link back up the tree
    visited.add(real);
    for (const name of readdirSync(folder).sort(byCodePoint)) {
      const path = join(folder, name);
      if (opts.recursive && !name.startsWith('.') && isFolder(path)) walk(path);
      else scanEntry(path, name, files, skipped);
    }
  };
  walk(root);
  const id = (f: string) => recordingIdOf(root, f);
  files.sort((a, b) => byCodePoint(id(a), id(b)));
  skipped.sort((a, b) => byCodePoint(id(a.file), id(b.file)));
  return { root, files, skipped };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function scanEntry(path: string, name: string, files: string[], skipped: SkippedEntry[]): void {
  const ext = extensionOf(name);
  if (!isAudioFileName(name)) {
    if (CONVERTIBLE_EXTENSIONS.has(ext)) {
      skipped.push({ file: path, reason: 'unsupported-codec', message: `capuchin: ${path}: ${ext} files are not decoded by capuchin (it reads .wav, .mp3, .flac, .ogg, .opus) (unsupported-codec). Fix: convert it: ffmpeg -i "${path}" -c:a pcm_s16le "${path.slice(0, -ext.length)}.wav"` });
    }
    return;
  }
  let info;
  try {
    info = statSync(path); // follows links
  } catch {
    if (lstatSync(path).isSymbolicLink()) {
      skipped.push({ file: path, reason: 'dangling-link', message: `capuchin: ${path}: a symbolic link to a file that does not exist (dangling-link). Fix: restore its target or delete the link` });
      return;
    }
    throw new AudioError(path, 'missing', 'the file vanished while the folder was read', 'do not move files while capuchin reads the folder');
  }
  if (info.isFile()) files.push(path);
  else {
    const what = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : 'a device';
    skipped.push({ file: path, reason: 'not-a-regular-file', message: `capuchin: ${path}: ${what}, not a regular audio file (not-a-regular-file). Fix: move it out of the folder, or rename it` });
  }
}

/**
 * The audio files (.wav, .mp3, .flac, .ogg, .opus; any case) directly inside `dir`, as full paths, sorted by name (code-point order,
 * the same on every machine); entries that cannot be read as files are left out (scanAudioFolder says why).
 * Throws AudioError 'missing', 'not-a-folder' or 'empty-folder'.
 */
export function listAudioFiles(dir: string, opts: ScanOptions = {}): string[] {
  const { files } = scanAudioFolder(dir, opts);
  if (files.length === 0) throw emptyFolderError(dir);
  return files;
}

/** The error for a folder with no audio file capuchin can read. */
export function emptyFolderError(dir: string): AudioError {
  return new AudioError(resolve(dir), 'empty-folder', 'the folder holds no .wav, .mp3, .flac, .ogg or .opus files', 'put the audio files there, point at the right folder, or count its subfolders with --recursive');
}
