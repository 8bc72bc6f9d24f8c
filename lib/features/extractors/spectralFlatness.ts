/** Geometric over arithmetic mean of the amplitude spectrum (0 when any bin is exactly 0) (meyda's `spectralFlatness`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralFlatness(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralFlatness', frame) as number;
}
