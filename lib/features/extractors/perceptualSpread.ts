/** Spread of the specific loudness (Bark bands) (meyda's `perceptualSpread`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function perceptualSpread(frame: MeydaFrameContext): number {
  return runMeydaExtractor('perceptualSpread', frame) as number;
}
