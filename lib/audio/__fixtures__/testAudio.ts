/** Test-only helpers: synthetic signals and WAV bytes written with wavefile (an implementation independent of ours). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

export function tone(freqHz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRate);
  return out;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

export type WavefileDepth = '8' | '16' | '24' | '32' | '32f' | '64';

/** Float channels in [-1, 1] → the integer (or float) values wavefile stores for `depth`. */
function toStored(x: Float32Array, depth: WavefileDepth): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (depth === '32f' || depth === '64') out[i] = v;
    else if (depth === '8') out[i] = Math.round(v * 128 + 128);
    else {
      const full = 2 ** (Number(depth) - 1);
      out[i] = Math.max(-full, Math.min(full - 1, Math.round(v * full)));
    }
  }
  return out;
}

/** WAV bytes for these channels, written by wavefile (> 2 channels → WAVE_FORMAT_EXTENSIBLE). */
export function wavBytes(channels: Float32Array[], sampleRate: number, depth: WavefileDepth = '16'): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(channels.length, sampleRate, depth, channels.map((c) => toStored(c, depth)));
  return wav.toBuffer();
}

/** WAV bytes re-encoded by wavefile to a codec capuchin does not decode. */
export function encodedWavBytes(samples: Float32Array, sampleRate: number, codec: 'alaw' | 'mulaw' | 'ima-adpcm'): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '16', toStored(samples, '16'));
  if (codec === 'alaw') wav.toALaw();
  else if (codec === 'mulaw') wav.toMuLaw();
  else wav.toIMAADPCM();
  return wav.toBuffer();
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempFolder(prefix = 'capuchin-audio-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
