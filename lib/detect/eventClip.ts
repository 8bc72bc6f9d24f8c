/** The audio of one detected call, cut from the 16-bit audio a scored recording keeps for review. */
import type { Audio } from '../audio/audio.ts';
import type { DetectedEvent } from './events.ts';
import type { ScoredRecording } from './scoreStream.ts';

/** [start_s − padSec, end_s + padSec] clamped to the recording, as float samples; null when no audio was kept. */
export function eventClip(scored: Pick<ScoredRecording, 'audio' | 'sampleRate'>, event: Pick<DetectedEvent, 'start_s' | 'end_s'>, padSec = 0.5): Audio | null {
  const pcm = scored.audio;
  if (!pcm) return null;
  const rate = scored.sampleRate;
  const a = Math.max(0, Math.floor((event.start_s - padSec) * rate));
  const b = Math.min(pcm.length, Math.ceil((event.end_s + padSec) * rate));
  const samples = new Float32Array(Math.max(0, b - a));
  for (let k = 0; k < samples.length; k++) samples[k] = pcm[a + k] / 32768;
  return { samples, sampleRate: rate };
}
