/** Audio for report players: relative links to the clips, or small clips embedded as WAV data: URIs. */
import { relative, resolve, sep } from 'node:path';
import wavefile from 'wavefile';
import type { Audio } from '../audio/audio.ts';

/** Encode mono audio as 16-bit PCM WAV bytes (the first `maxSeconds` only). */
export function encodeWav16(audio: Audio, maxSeconds = Infinity): Uint8Array {
  if (!(audio.sampleRate > 0)) throw new Error(`capuchin: encodeWav16: sample rate ${audio.sampleRate} is not positive`);
  const n = Math.min(audio.samples.length, Math.floor(maxSeconds * audio.sampleRate));
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const x = Math.max(-1, Math.min(1, audio.samples[i] || 0));
    pcm[i] = Math.round(x < 0 ? x * 32768 : x * 32767);
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, audio.sampleRate, '16', pcm);
  return wav.toBuffer();
}

/** A data: URI holding the clip as WAV (3 s at 16 kHz ≈ 128 kB of base64). */
export function wavDataUri(audio: Audio, maxSeconds = 5): string {
  return `data:audio/wav;base64,${Buffer.from(encodeWav16(audio, maxSeconds)).toString('base64')}`;
}

/**
 * An `audioHref` callback linking each clip relative to the report folder, so report.html plays the
 * clips from the data folder when opened locally. Path segments are URL-encoded ("Forest Recordings").
 */
export function relativeAudioHref(reportDir: string, dataDir: string): (file: string) => string {
  return (file) => {
    const rel = relative(reportDir, resolve(dataDir, file));
    return rel.split(sep).map(encodeURIComponent).join('/');
  };
}
