/** Shared command-line plumbing for every capuchin command (commander). */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_RECORDING_ROLES, ROLE_FLAGS, parseRecordingsPattern, resolveRecordingRoles, type RecordingRoles } from '../lib/data/roles.ts';
import { diskFullMessage } from '../lib/util/diskFull.ts';

export function newCommand(name: string, description: string): Command {
  return new Command(name).description(description).showHelpAfterError().allowExcessArguments(false);
}

export const dataOption = () =>
  new Option('--data <dir>', 'data folder in the Kaggle layout (default: $CAPUCHIN_DATA, else data/sample)');
export const outOption = (what: string) => new Option('--out <path>', what);

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

export function parseNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got '${value}'`);
    return n;
  };
}

/** Run a command's main, printing a one-line error (no stack) for expected failures. */
/** Where the running command writes, for the full-disk message (set by the command once its --out is known). */
const writing: { folder?: string; resume: boolean } = { resume: false };

/** The command writes into `folder`; `resume`: it takes --resume to continue an interrupted run. */
export function writingInto(folder: string, resume = false): void {
  writing.folder = folder;
  writing.resume = resume;
}

/**
 * SIGTERM (scancel, kill, a container stop) or SIGINT (Ctrl-C): stop now with one line and exit 128 + the signal's
 * number. Output sets are swapped in whole, so the previous set stays; the staged work stays for --resume.
 */
function stopOnSignals(): void {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    process.once(signal, () => {
      const next = writing.resume ? 'what was finished is kept: run the same command with --resume to go on' : 'the previous output set, if any, is untouched';
      process.stderr.write(`\nstopped by ${signal}: ${next}.\n`);
      process.exit(code);
    });
  }
}

export async function runMain(main: () => Promise<void>): Promise<void> {
  stopOnSignals();
  try {
    await main();
  } catch (err) {
    const message = diskFullMessage(err, writing.folder, writing.resume) ?? (err instanceof Error ? err.message : String(err));
    process.stderr.write(`error: ${message}\n`);
    if (process.env.CAPUCHIN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}

export interface RoleFlags {
  fieldRecordings?: string;
  holdoutRecordings?: string;
  evalRecordings?: string;
}

/** --field-recordings / --holdout-recordings / --eval-recordings (the protocol's three roles). */
export function recordingRoleOptions(program: Command): Command {
  return program
    .option(`${ROLE_FLAGS.field} <regex>`, `field recordings: background, --field-labels training and detector tuning (default ${DEFAULT_RECORDING_ROLES.field.source})`)
    .option(`${ROLE_FLAGS.holdout} <regex>`, `held out from everything; the reported counting score (default ${DEFAULT_RECORDING_ROLES.holdout.source})`)
    .option(`${ROLE_FLAGS.evaluation} <regex>`, `the contest's unlabelled evaluation set: counted, never used (default ${DEFAULT_RECORDING_ROLES.evaluation.source})`);
}

export function resolveRoles(o: RoleFlags): RecordingRoles {
  const parse = (flag: string, v?: string) => (v === undefined ? undefined : parseRecordingsPattern(flag, v));
  return resolveRecordingRoles({
    field: parse(ROLE_FLAGS.field, o.fieldRecordings),
    holdout: parse(ROLE_FLAGS.holdout, o.holdoutRecordings),
    evaluation: parse(ROLE_FLAGS.evaluation, o.evalRecordings),
  });
}
