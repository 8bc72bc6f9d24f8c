/**
 * The roles of forest recordings in the evaluation protocol (README "Evaluation protocol"):
 *
 * - field:      may be used as background for mixing, with their call labels as training windows (where
 *               the config's field.labels lets them train), and for tuning the detector;
 * - holdout:    held out from everything; the counting score the README reports;
 * - evaluation: the contest's unlabelled evaluation set: counted for the submission, never used for
 *               training, tuning or any decision.
 *
 * Each role is a regular expression over the file name. A name matching two roles is a
 * configuration error (it would leak a held-out recording into training), caught here, once.
 */
import { basename } from 'node:path';

export const RECORDING_ROLES = ['field', 'holdout', 'evaluation'] as const;
export type RecordingRole = (typeof RECORDING_ROLES)[number];
export type RecordingRoles = Readonly<Record<RecordingRole, RegExp>>;

export const DEFAULT_RECORDING_ROLES: RecordingRoles = Object.freeze({
  field: /^recording_[0-3]\d(?!\d)/,
  holdout: /^recording_4\d(?!\d)/,
  evaluation: /^recording_[5-9]\d(?!\d)/,
});

/** The command-line flag that sets each role's pattern. */
export const ROLE_FLAGS: Readonly<Record<RecordingRole, string>> = {
  field: '--field-recordings',
  holdout: '--holdout-recordings',
  evaluation: '--eval-recordings',
};

/** A regular expression from a command-line value, with the flag named when it does not parse. */
export function parseRecordingsPattern(flag: string, text: string, example = '^recording_[0-3]\\d'): RegExp {
  try {
    return new RegExp(text);
  } catch (err) {
    throw new Error(`${flag} '${text}' is not a valid regular expression: ${(err as Error).message}. Fix: e.g. ${flag} '${example}'`);
  }
}

/** Roles from optional overrides over the defaults. */
export function resolveRecordingRoles(overrides: Partial<Record<RecordingRole, RegExp | undefined>> = {}): RecordingRoles {
  return Object.freeze({
    field: overrides.field ?? DEFAULT_RECORDING_ROLES.field,
    holdout: overrides.holdout ?? DEFAULT_RECORDING_ROLES.holdout,
    evaluation: overrides.evaluation ?? DEFAULT_RECORDING_ROLES.evaluation,
  });
}

/** The role of one recording (by file name), or null when no pattern matches; throws when two match. */
export function roleOf(file: string, roles: RecordingRoles): RecordingRole | null {
  const name = basename(file);
  const matched = RECORDING_ROLES.filter((r) => roles[r].test(name));
  if (matched.length > 1) {
    throw new Error(
      `capuchin: recording ${name} matches more than one role (${matched.map((r) => `${r} ${roles[r]}`).join(', ')}). ` +
        `Fix: make ${matched.map((r) => ROLE_FLAGS[r]).join(' and ')} disjoint; a recording is field data, held out, or evaluation data, never two.`,
    );
  }
  return matched[0] ?? null;
}

/** The files of `files` in `role` (checking every file's roles are unambiguous). */
export function recordingsInRole(files: readonly string[], role: RecordingRole, roles: RecordingRoles): string[] {
  return files.filter((f) => roleOf(f, roles) === role);
}
