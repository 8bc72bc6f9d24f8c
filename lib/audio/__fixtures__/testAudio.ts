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

function chunksOf(wav: Uint8Array): { id: string; start: number; end: number }[] {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const chunks: { id: string; start: number; end: number }[] = [];
  for (let at = 12; at + 8 <= wav.length; ) {
    const size = view.getUint32(at + 4, true);
    const end = Math.min(wav.length, at + 8 + size + (size % 2));
    chunks.push({ id: new TextDecoder().decode(wav.subarray(at, at + 4)), start: at, end });
    at = end;
  }
  return chunks;
}

/** A plain RIFF WAV with one more chunk (padded to an even size), before the data chunk or at the end; the RIFF size is fixed. */
export function insertChunk(wav: Uint8Array, id: string, body: Uint8Array, where: 'before-data' | 'end'): Uint8Array {
  const chunk = new Uint8Array(8 + body.length + (body.length % 2));
  chunk.set(new TextEncoder().encode(id), 0);
  new DataView(chunk.buffer).setUint32(4, body.length, true);
  chunk.set(body, 8);
  const at = where === 'end' ? wav.length : chunksOf(wav).find((c) => c.id === 'data')!.start;
  const out = new Uint8Array(wav.length + chunk.length);
  out.set(wav.subarray(0, at), 0);
  out.set(chunk, at);
  out.set(wav.subarray(at), at + chunk.length);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

/**
 * A plain RIFF WAV rewritten in the 64-bit layout (EBU Tech 3306), as `ffmpeg -rf64 always` writes it: `RF64`
 * (or `BW64`) and size 0xFFFFFFFF, a 28-byte ds64 chunk right after WAVE, the chunks as they were, the data
 * chunk's 32-bit size 0xFFFFFFFF.
 */
export function toRf64(wav: Uint8Array, magic: 'RF64' | 'BW64' = 'RF64'): Uint8Array {
  const chunks = chunksOf(wav);
  const out = new Uint8Array(wav.length + 36);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(magic), 0);
  view.setUint32(4, 0xffffffff, true);
  out.set(new TextEncoder().encode('WAVEds64'), 8);
  view.setUint32(16, 28, true);
  let at = 48;
  let dataSize = 0;
  let blockAlign = 1;
  for (const c of chunks) {
    out.set(wav.subarray(c.start, c.end), at);
    if (c.id === 'fmt ') blockAlign = view.getUint16(at + 8 + 12, true);
    if (c.id === 'data') {
      dataSize = view.getUint32(at + 4, true);
      view.setUint32(at + 4, 0xffffffff, true);
    }
    at += c.end - c.start;
  }
  view.setBigUint64(20, BigInt(out.length - 8), true); // riffSize
  view.setBigUint64(28, BigInt(dataSize), true);
  view.setBigUint64(36, BigInt(dataSize / blockAlign), true); // sampleCount
  view.setUint32(44, 0, true); // no table
  return out;
}
