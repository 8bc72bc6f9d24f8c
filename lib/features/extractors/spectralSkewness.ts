/** Skewness of the amplitude spectrum (meyda's `spectralSkewness`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralSkewness(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralSkewness', frame) as number;
}
