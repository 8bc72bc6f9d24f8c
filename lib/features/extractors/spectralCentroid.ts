/** Amplitude-weighted mean FFT bin index (multiply by sampleRate/bufferSize for Hz) (meyda's `spectralCentroid`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralCentroid(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralCentroid', frame) as number;
}
