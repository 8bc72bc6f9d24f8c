/** Sum of squares of the frame buffer (windowed, zero-padded) (meyda's `energy`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function energy(frame: MeydaFrameContext): number {
  return runMeydaExtractor('energy', frame) as number;
}
