/** Zero crossings in the frame buffer (meyda's `zcr`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function zcr(frame: MeydaFrameContext): number {
  return runMeydaExtractor('zcr', frame) as number;
}
