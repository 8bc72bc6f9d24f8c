/** Sharpness from the specific loudness (Bark bands) (meyda's `perceptualSharpness`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function perceptualSharpness(frame: MeydaFrameContext): number {
  return runMeydaExtractor('perceptualSharpness', frame) as number;
}
