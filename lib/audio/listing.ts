/** Listing the audio files of a folder, with clear errors for a wrong path. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AudioError } from './errors.ts';
import { isAudioFileName } from './formats.ts';

/**
 * The .wav and .mp3 files (any case) directly inside `dir`, as full paths, sorted by name (code-point order,
 * the same on every machine). Throws AudioError 'missing', 'not-a-folder' or 'empty-folder'.
 */
export function listAudioFiles(dir: string): string[] {
  const folder = resolve(dir);
  if (!existsSync(folder)) {
    throw new AudioError(folder, 'missing', 'the folder does not exist', 'check the path (or pass --data DIR pointing at the Kaggle download)');
  }
  if (!statSync(folder).isDirectory()) {
    throw new AudioError(folder, 'not-a-folder', 'this is a file, not a folder', 'pass the folder that holds the audio files');
  }
  const names = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => isAudioFileName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && statSync(join(folder, entry.name)).isFile())))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) {
    throw new AudioError(folder, 'empty-folder', 'the folder holds no .wav or .mp3 files', 'put the audio files there, or point at the right folder');
  }
  return names.map((name) => join(folder, name));
}
