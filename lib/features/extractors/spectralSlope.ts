/** Slope of a linear regression of amplitude on frequency (meyda's `spectralSlope`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralSlope(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralSlope', frame) as number;
}
