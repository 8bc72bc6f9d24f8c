/**
 * npm run features -- FILE --kind spectrogram|mel|mfcc|pcen --out OUT.npy [--config FILE.json]
 * npm run features -- FILE FILE... --kind … --out DIR
 *
 * Writes the features of the first clipSec (3 s) of FILE as a float32 C-order .npy [frames, bins],
 * through the same path the models use: decode, resample to the config's sampleRate (16 kHz),
 * pad_or_trim, features. The resolved config is written next to it as OUT.config.json.
 * With several files, --out is a folder written as one set: <name>.npy per file, config.json, and
 * errors.csv listing the files that could not be read (the rest are written).
 * Exit status: 0 all written; 3 some files failed (errors.csv); 1 none, or a configuration error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option } from 'commander';
import { loadAudio } from '../lib/audio/load.ts';
import { FEATURE_KINDS, resolveFeatureConfig, type FeatureKind } from '../lib/features/config.ts';
import { configureFeatures } from '../lib/features/extractor.ts';
import { writeFileAtomic, writeJsonAtomic } from '../lib/util/atomic.ts';
import { encodeNpyFloat32 } from '../lib/util/npy.ts';
import { withOutputSet } from '../lib/util/outputSet.ts';
import { Progress } from '../lib/util/progress.ts';
import { ERRORS_FILE, writeErrorsCsv } from '../lib/records/errors.ts';
import { newCommand, outOption, runMain, writingInto } from './cli.ts';

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
  const config = resolveConfig(args);
  const extractor = configureFeatures(config);
  const audio = await loadAudio(file, { sampleRate: config.sampleRate });
  const features = extractor.extractClip(audio.samples);
  writeFileAtomic(args.out, encodeNpyFloat32(features.data, [features.rows, features.cols]));
  const configPath = args.out.replace(/\.npy$/, '.config.json');
  writeJsonAtomic(configPath, { source: file, shape: [features.rows, features.cols], config });
  return { shape: [features.rows, features.cols], configPath };
}

function resolveConfig(args: FeaturesArgs) {
  const fromFile = args.config ? readConfigFile(args.config) : {};
  try {
    return resolveFeatureConfig({ ...fromFile, kind: args.kind });
  } catch (err) {
    throw new Error(`${args.config ? `--config ${args.config}: ` : ''}${(err as Error).message}`);
  }
}

/** Several files into one folder, as one set; a bad file is listed in errors.csv and the rest go on. */
async function writeFeatureFolder(files: string[], args: FeaturesArgs): Promise<{ written: number; failed: number; errors: string }> {
  const config = resolveConfig(args);
  const extractor = configureFeatures(config);
  const names = files.map((f) => basename(f));
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`capuchin features: two inputs are named ${duplicate}; their .npy files would collide. Fix: pass files with distinct names.`);
  return withOutputSet(args.out, 'features', { formerMarker: 'config.json' }, async (set) => {
    const errors: { recording: string; error: string }[] = [];
    const progress = new Progress('features', files.length);
    for (const [i, file] of files.entries()) {
      try {
        const audio = await loadAudio(file, { sampleRate: config.sampleRate, onWarning: () => {} });
        const features = extractor.extractClip(audio.samples);
        writeFileAtomic(join(set.dir, `${names[i]}.npy`), encodeNpyFloat32(features.data, [features.rows, features.cols]));
      } catch (err) {
        errors.push({ recording: names[i], error: err instanceof Error ? err.message : String(err) });
      }
      progress.update(i + 1);
    }
    writeJsonAtomic(join(set.dir, 'config.json'), { shape: extractor.shape, config });
    writeErrorsCsv(join(set.dir, ERRORS_FILE), errors);
    return { written: files.length - errors.length, failed: errors.length, errors: join(set.target, ERRORS_FILE) };
  });
}

const program = newCommand('features', 'Write the spectrogram, log-mel, MFCC or PCEN of the first 3 s of audio files as float32 .npy [frames, bins].')
  .showHelpAfterError('(run with --help for usage)')
  .argument('<files...>', 'audio files (.wav, .mp3, .flac, .ogg, .opus)')
  .addOption(new Option('--kind <kind>', 'which features').choices(FEATURE_KINDS).makeOptionMandatory())
  .addOption(outOption('output .npy path for one file (float32, C order, [frames, bins]); a folder for several').makeOptionMandatory())
  .option('--config <file>', 'JSON file of feature config fields (lib/features/config.ts), e.g. {"melBins": 64}')
  .action(async (files: string[], opts: FeaturesArgs) => {
    writingInto(opts.out.endsWith('.npy') ? dirname(resolve(opts.out)) : resolve(opts.out));
    if (files.length === 1 && opts.out.endsWith('.npy')) {
      const { shape, configPath } = await writeFeatures(files[0], opts);
      process.stdout.write(`wrote ${opts.out} float32 [${shape.join(', ')}] (${opts.kind}); config ${configPath}\n`);
      return;
    }
    const { written, failed, errors } = await writeFeatureFolder(files, opts);
    process.stdout.write(`wrote ${written} of ${files.length} file(s) into ${opts.out}${failed ? `; ${failed} failed, listed in ${errors}` : ''}\n`);
    process.exitCode = failed === 0 ? 0 : written === 0 ? 1 : 3;
  });

await runMain(async () => {
  await program.parseAsync(process.argv);
});
