/** Root mean square of the frame buffer (the windowed, zero-padded frame, so it includes the window's gain and the padding) (meyda's `rms`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function rms(frame: MeydaFrameContext): number {
  return runMeydaExtractor('rms', frame) as number;
}
