/**
 * The one formatter of zod validation errors, for every config and options object of capuchin:
 * `field: message, got value`, issues joined by '; '. A message that already names its field (the
 * custom messages of the configs: "hopLength must be in [1, 65536]") is not prefixed again, and one
 * that already says what it got gets no second "got".
 */
import type { z } from 'zod';

export interface ZodIssueFormat {
  /** Put before every field path, e.g. 'train.'. */
  prefix?: string;
  /** The name of an issue about the whole object (no path). */
  root?: string;
  /** The parsed value: each issue then shows what it got at its path. */
  input?: unknown;
  /** Field names listed when an unknown field is refused. */
  known?: readonly string[];
  /** At most this many issues, then "(+N more)". */
  limit?: number;
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined), input);
}

export function formatZodIssues(error: z.ZodError, opts: ZodIssueFormat = {}): string {
  const prefix = opts.prefix ?? '';
  const issues = opts.limit ? error.issues.slice(0, opts.limit) : error.issues;
  const lines = issues.map((issue) => {
    const bare = issue.path.join('.');
    const field = bare ? prefix + bare : (opts.root ?? '');
    if (issue.code === 'unrecognized_keys') {
      return `${field ? `${field}: ` : ''}unknown field(s) ${issue.keys.join(', ')}${opts.known ? ` (known: ${opts.known.join(', ')})` : ''}`;
    }
    const got = opts.input !== undefined && bare && !/\bgot\b/.test(issue.message) ? `, got ${JSON.stringify(valueAt(opts.input, issue.path))}` : '';
    if (issue.code === 'invalid_enum_value' && issue.message.startsWith('Invalid enum value')) return `${field} must be one of ${issue.options.join('|')}${got}`;
    const named = !field || issue.message.startsWith(field) || (bare !== '' && issue.message.startsWith(bare));
    return `${named ? issue.message : `${field}: ${issue.message}`}${got}`;
  });
  const more = opts.limit && error.issues.length > opts.limit ? ` (+${error.issues.length - opts.limit} more)` : '';
  return lines.join('; ') + more;
}
