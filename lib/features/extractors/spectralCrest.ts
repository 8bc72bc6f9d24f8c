/** Peak over RMS of the amplitude spectrum (meyda's `spectralCrest`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralCrest(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralCrest', frame) as number;
}
