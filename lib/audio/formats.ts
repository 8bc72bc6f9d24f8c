/** Which file extensions capuchin decodes, and the advice for the ones it does not. */
import { AudioError } from './errors.ts';

export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg';

/** Audio formats people will try, with the fix: convert with ffmpeg. */
export const CONVERTIBLE_EXTENSIONS: ReadonlySet<string> = new Set(['.m4a', '.aac', '.aif', '.aiff', '.wma', '.webm', '.mp4']);

/** The extensions capuchin decodes, any case. */
export const AUDIO_EXTENSIONS = ['.wav', '.mp3', '.flac', '.ogg', '.oga', '.opus'] as const;
const READS = '.wav, .mp3, .flac, .ogg, .opus';

/** True for names capuchin reads (AUDIO_EXTENSIONS), any case. */
export function isAudioFileName(name: string): boolean {
  return /\.(wav|mp3|flac|ogg|oga|opus)$/i.test(name);
}

/** The extension of a path or file name, lower-case with its dot ('' when none), as node:path's extname. */
export function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The format for a path's extension, or an AudioError saying what to do with it. */
export function formatOf(path: string): AudioFormat {
  const ext = extensionOf(path);
  if (ext === '.wav') return 'wav';
  if (ext === '.mp3') return 'mp3';
  if (ext === '.flac') return 'flac';
  if (ext === '.ogg' || ext === '.oga' || ext === '.opus') return 'ogg';
  if (CONVERTIBLE_EXTENSIONS.has(ext)) {
    throw new AudioError(path, 'unsupported-codec', `${ext} files are not decoded by capuchin (it reads ${READS})`, `convert it: ffmpeg -i "${path}" -c:a pcm_s16le out.wav`);
  }
  throw new AudioError(path, 'not-audio', `the extension '${ext || '(none)'}' is not an audio format capuchin reads (${READS})`, `pass a ${READS} file`);
}
