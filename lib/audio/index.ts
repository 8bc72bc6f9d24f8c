/** lib/audio public API: decoding, resampling, loading and clip helpers. */
export { type Audio, MODEL_SAMPLE_RATE, durationSec } from './audio.ts';
export { AudioError, type AudioErrorReason } from './errors.ts';
export { blobSource, openFileSource, type ByteSource } from './byteSource.ts';
export { decodeWav, decodeWavChunks, readWavHeader, parseWavHeader, type WavHeader, type WavChunkOptions } from './wav.ts';
export { findWavChunk, guanoTimestamp, parseGuano, readGuano, type GuanoTimestamp, type WavChunk } from './guano.ts';
export { decodeMp3, decodeMp3Chunks, type Mp3DecodeOptions, DEFAULT_MP3_CHUNK_BYTES } from './mp3.ts';
export { resample, createResampler, resampledLength, type Resampler, type ResampleFilterOptions } from './resample.ts';
export { DEFAULT_RESAMPLE_FILTER } from './resampleFilter.ts';
export { loadAudio, streamAudio, loadFolder, listAudioFiles, type LoadedClip, type SkippedFile, type LoadFolderOptions } from './load.ts';
export type { LoadAudioOptions, StreamAudioOptions } from './options.ts';
export { probeAudio, type AudioProbe } from './probe.ts';
export { padOrTrim, toMono, trimSec, type PadMode } from './clip.ts';
export { formatOf, isAudioFileName, type AudioFormat } from './formats.ts';
