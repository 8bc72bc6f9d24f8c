/**
 * `npm run degrade -- --recordings DIR --out DIR [--match RE] [--only NAME,...]`
 * Writes degraded copies of a folder's recordings, one folder per degradation (lib/pipeline/degrade.ts:
 * gain-20, gain+12-clipped, pink-noise, opus-24k), for `experiment --degraded DIR`. Needs ffmpeg (PATH or $FFMPEG).
 * Copies already there are kept, so a rerun finishes an interrupted one.
 */
import { basename } from 'node:path';
import { listAudioFiles } from '../lib/audio/listing.ts';
import { parseRecordingsPattern } from '../lib/data/roles.ts';
import { DEGRADATIONS, degradeRecordings } from '../lib/pipeline/degrade.ts';
import { newCommand, runMain } from './cli.ts';

const program = newCommand('degrade', 'Write degraded copies of recordings (quieter, louder and clipped, noisy, low-rate Opus)')
  .requiredOption('--recordings <dir>', 'folder of recordings')
  .requiredOption('--out <dir>', 'output root: one folder per degradation')
  .option('--only <names>', `comma-separated degradations (default all: ${DEGRADATIONS.map((d) => d.name).join(', ')})`)
  .option('--match <regex>', "only recordings whose file name matches, e.g. '^recording_[0-3]\\d' for the field recordings");

await runMain(async () => {
  const o = program.parse().opts<{ recordings: string; out: string; only?: string; match?: string }>();
  const re = o.match === undefined ? null : parseRecordingsPattern('--match', o.match);
  const files = listAudioFiles(o.recordings).filter((f) => !re || re.test(basename(f)));
  if (!files.length) throw new Error(`no recordings${re ? ` matching ${re}` : ''} in ${o.recordings}. Fix: check --recordings and --match`);
  degradeRecordings({ files, outDir: o.out, only: o.only?.split(',').map((s) => s.trim()).filter(Boolean), log: (l) => process.stderr.write(l + '\n') });
});
