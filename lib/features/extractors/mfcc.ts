/**
 * Meyda's MFCC: log(1 + mel power) over Meyda's own mel bank (0 Hz..Nyquist, 1125·ln(1+f/700)),
 * then its unnormalised DCT, first numberOfMFCCCoefficients (Meyda caps this at 40). This is NOT
 * capuchin's model MFCC (lib/features/mfcc.ts: TF mel bank, dB, orthonormal DCT-II); use it for exploration.
 */
import { runMeydaExtractor, type MeydaFrameContext } from '../meyda.ts';

export default function mfcc(frame: MeydaFrameContext): Float32Array {
  return Float32Array.from(runMeydaExtractor('mfcc', frame) as number[]);
}
