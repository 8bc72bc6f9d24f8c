/** Why a file could not be turned into audio. */
export type AudioErrorReason =
  | 'missing' // the path does not exist
  | 'empty' // zero bytes
  | 'header-only' // a valid header but no sample data
  | 'truncated' // the data chunk ends before its declared size / the stream ends mid-frame
  | 'not-audio' // bytes that are not the format the extension promises
  | 'unsupported-codec' // a real file in an encoding capuchin does not decode (e.g. ADPCM, A-law)
  | 'non-finite' // NaN or Inf samples
  | 'bad-format' // an odd header value: zero channels, zero sample rate, odd bit depth
  | 'corrupt' // frames in the middle of a stream that fail to decode (reported as a warning, the rest decodes)
  | 'empty-folder' // a folder with no audio files
  | 'not-a-folder';

/**
 * A typed error that names the file, what is wrong with it and how to fix it.
 * Folder loaders catch it, report it and go on.
 */
export class AudioError extends Error {
  override readonly name = 'AudioError';
  constructor(
    readonly file: string,
    readonly reason: AudioErrorReason,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`capuchin: ${file}: ${detail} (${reason}). Fix: ${fix}`);
  }
}

/** What a decoder does with a warning when its caller gave no `onWarning`: print it on stderr. */
export const printWarning = (warning: AudioError): void => console.warn(`warning: ${warning.message}`);
