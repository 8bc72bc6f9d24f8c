/** 12-band chroma of the amplitude spectrum, scaled so the largest band is 1 (meyda's `chroma`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function chroma(frame: MeydaFrameContext): Float32Array {
  return Float32Array.from(runMeydaExtractor('chroma', frame) as number[]);
}
