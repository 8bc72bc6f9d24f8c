/** Frequency in Hz below which 99% of the amplitude-spectrum sum lies (meyda's `spectralRolloff`). */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function spectralRolloff(frame: MeydaFrameContext): number {
  return runMeydaExtractor('spectralRolloff', frame) as number;
}
