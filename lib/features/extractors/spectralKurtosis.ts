/** Kurtosis of the amplitude spectrum (meyda's `spectralKurtosis`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralKurtosis(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralKurtosis', frame) as number;
}
