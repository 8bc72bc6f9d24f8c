/** Standard deviation of the amplitude spectrum around its centroid, in bins (meyda's `spectralSpread`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralSpread(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralSpread', frame) as number;
}
