/** Specific loudness per Bark band (meyda's `loudness().specific`; its `total` is the sum). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function loudness(frame: MeydaFrameContext): Float32Array {
  return Float32Array.from((runMeydaExtractor('loudness', frame) as { specific: Float32Array }).specific);
}
