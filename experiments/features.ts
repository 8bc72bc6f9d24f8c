/**
 * npm run features -- FILE --kind spectrogram|mel|mfcc --out OUT.npy [--config FILE.json]
 *
 * Writes the features of the first clipSec (3 s) of FILE as a float32 C-order .npy [frames, bins],
 * through the same path the models use: decode, resample to the config's sampleRate (16 kHz),
 * pad_or_trim, features. The resolved config is written next to it as OUT.config.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Option } from 'commander';
import { loadAudio } from '../lib/audio/load.ts';
import { FEATURE_KINDS, resolveFeatureConfig, type FeatureKind } from '../lib/features/config.ts';
import { configureFeatures } from '../lib/features/extractor.ts';
import { writeFileAtomic, writeJsonAtomic } from '../lib/util/atomic.ts';
import { encodeNpyFloat32 } from '../lib/util/npy.ts';
import { newCommand, outOption, runMain } from './cli.ts';

interface FeaturesArgs {
  kind: FeatureKind;
  out: string;
  config?: string;
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new Error(`capuchin features: --config ${path} does not exist. Fix: pass a JSON file of feature config fields, e.g. {"melBins": 64}`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`capuchin features: --config ${path} is not valid JSON (${(err as Error).message}). Fix: write a JSON object of feature config fields`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`capuchin features: --config ${path} must hold a JSON object of feature config fields, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value as Record<string, unknown>;
}

async function writeFeatures(file: string, args: FeaturesArgs): Promise<{ shape: [number, number]; configPath: string }> {
  if (!args.out.endsWith('.npy')) throw new Error(`capuchin features: --out ${args.out} must end with .npy`);
  const fromFile = args.config ? readConfigFile(args.config) : {};
  let config;
  try {
    config = resolveFeatureConfig({ ...fromFile, kind: args.kind });
  } catch (err) {
    throw new Error(`${args.config ? `--config ${args.config}: ` : ''}${(err as Error).message}`);
  }
  const extractor = configureFeatures(config);
  const audio = await loadAudio(file, { sampleRate: config.sampleRate });
  const features = extractor.extractClip(audio.samples);
  writeFileAtomic(args.out, encodeNpyFloat32(features.data, [features.rows, features.cols]));
  const configPath = args.out.replace(/\.npy$/, '.config.json');
  writeJsonAtomic(configPath, { source: file, shape: [features.rows, features.cols], config });
  return { shape: [features.rows, features.cols], configPath };
}

const program = newCommand('features', 'Write the spectrogram, log-mel or MFCC of the first 3 s of an audio file as a float32 .npy [frames, bins].')
  .showHelpAfterError('(run with --help for usage)')
  .argument('<file>', 'audio file (.wav or .mp3)')
  .addOption(new Option('--kind <kind>', 'which features').choices(FEATURE_KINDS).makeOptionMandatory())
  .addOption(outOption('output .npy path (float32, C order, [frames, bins])').makeOptionMandatory())
  .option('--config <file>', 'JSON file of feature config fields (lib/features/config.ts), e.g. {"melBins": 64}')
  .action(async (file: string, opts: FeaturesArgs) => {
    const { shape, configPath } = await writeFeatures(file, opts);
    process.stdout.write(`wrote ${opts.out} float32 [${shape.join(', ')}] (${opts.kind}); config ${configPath}\n`);
  });

await runMain(async () => {
  await program.parseAsync(process.argv);
});
