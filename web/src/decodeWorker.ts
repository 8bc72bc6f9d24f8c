/**
 * The page's decoding worker, one beside each counting worker (which starts it): reads the recording's File
 * through its stream, decodes and resamples it to the model's rate with the input checks
 * (lib/detect/modelAudio.ts), frames it, and sends the chunks with their frames to the counting worker
 * (lib/detect/audioPort.ts). No tfjs in this bundle.
 */
import { serveModelAudio, type Port } from '../../lib/detect/audioPort.ts';

serveModelAudio(self as unknown as Port);
