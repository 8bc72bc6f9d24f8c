/**
 * When a recording started, from its file name: AudioMoth (`20240301_053000.WAV`, UTC unless the
 * recorder was set to a time zone), Song Meter (`SMA01234_20240301_053000.wav`, the recorder's local
 * time) or a user's `--time-pattern` (`%Y%m%d-%H%M%S`, with `%z` for an offset). GUANO metadata in the
 * file is read by guano.ts; both end as a RecordingStart.
 *
 * Offsets are fixed (`+05:30`, `-03:00`): recorders write wall-clock time with no DST rule, so a time
 * zone name would only guess. A time whose offset is unknown stays local (ISO 8601 without offset).
 */

/** Where a start time came from. */
export type TimeSource = 'guano' | 'pattern' | 'audiomoth' | 'songmeter';

export interface RecordingStart {
  /** Wall-clock fields as written by the recorder (local time at `offsetMinutes`). */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC (e.g. -180 for -03:00); undefined when the name or metadata does not say. */
  readonly offsetMinutes: number | undefined;
  readonly source: TimeSource;
}

/** `--utc-offset` text: `Z`, `UTC`, `+HH:MM`, `-HHMM`, `+H`. Returns minutes east of UTC, or throws naming the fix. */
export function parseUtcOffset(text: string, what = '--utc-offset'): number {
  const t = text.trim();
  if (/^(z|utc|gmt)$/i.test(t)) return 0;
  const m = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (!m) throw new Error(`${what} must look like +05:30, -0300, -3 or Z, got '${text}'.`);
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) throw new Error(`${what} ${text} is outside -14:00…+14:00.`);
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Fields from a date and time, checked (a 31 April or a 25th hour is no time); undefined when invalid. */
export function makeStart(
  f: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  offsetMinutes: number | undefined,
  source: TimeSource,
): RecordingStart | undefined {
  const { year, month, day, hour, minute, second } = f;
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return undefined;
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return { year, month, day, hour, minute, second, offsetMinutes, source };
}

const AUDIOMOTH = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?=[._]|$)/;
const SONG_METER = /^(.+?)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?=[._]|$)/;

function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function fromDigits(m: RegExpExecArray, first: number, offsetMinutes: number | undefined, source: TimeSource): RecordingStart | undefined {
  const n = (k: number) => Number(m[first + k]);
  return makeStart({ year: n(0), month: n(1), day: n(2), hour: n(3), minute: n(4), second: n(5) }, offsetMinutes, source);
}

/**
 * The start time a recorder put in the file name, or undefined. AudioMoth names (no prefix) are UTC
 * unless `utcOffsetMinutes` says the recorder was set to local time; Song Meter names are local time at
 * `utcOffsetMinutes` (unknown without it).
 */
export function startFromRecorderName(path: string, utcOffsetMinutes?: number): RecordingStart | undefined {
  const name = fileName(path);
  const am = AUDIOMOTH.exec(name);
  if (am) return fromDigits(am, 1, utcOffsetMinutes ?? 0, 'audiomoth');
  const sm = SONG_METER.exec(name);
  if (sm) return fromDigits(sm, 2, utcOffsetMinutes, 'songmeter');
  return undefined;
}

/** A compiled `--time-pattern`. */
export interface TimePattern {
  readonly text: string;
  readonly regex: RegExp;
  /** Field of each capture group, in order. */
  readonly fields: readonly ('Y' | 'y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'z')[];
}

const TOKENS: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{2})', d: '(\\d{2})', H: '(\\d{2})', M: '(\\d{2})', S: '(\\d{2})', z: '(Z|[+-]\\d{2}:?\\d{2})' };

/**
 * Compile a strftime-style pattern matched anywhere in the file name: `%Y` `%y` `%m` `%d` `%H` `%M` `%S`,
 * `%z` (Z, +0530, -03:00), `%%` for a percent sign, `*` for any run of characters; the rest is literal.
 * It must have %Y (or %y), %m, %d, %H and %M.
 */
export function compileTimePattern(text: string): TimePattern {
  const fields: TimePattern['fields'][number][] = [];
  let source = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%') {
      const t = text[++i];
      if (t === '%') source += '%';
      else if (t !== undefined && t in TOKENS) {
        if (fields.includes(t as never)) throw new Error(`--time-pattern '${text}' has %${t} twice.`);
        fields.push(t as TimePattern['fields'][number]);
        source += TOKENS[t];
      } else throw new Error(`--time-pattern '${text}': %${t ?? ''} is not a field. Use %Y %y %m %d %H %M %S %z (or %% for a percent sign).`);
    } else if (c === '*') source += '.*?';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const need = ['m', 'd', 'H', 'M'] as const;
  const missing = [...(fields.includes('Y') || fields.includes('y') ? [] : ['Y']), ...need.filter((f) => !fields.includes(f))];
  if (missing.length) throw new Error(`--time-pattern '${text}' lacks ${missing.map((f) => `%${f}`).join(' ')}: a start time needs the year, month, day, hour and minute.`);
  return { text, regex: new RegExp(source), fields };
}

/** The start time `pattern` finds in the file name of `path`, or undefined. `%z` wins over `utcOffsetMinutes`. */
export function startFromPattern(path: string, pattern: TimePattern, utcOffsetMinutes?: number): RecordingStart | undefined {
  const m = pattern.regex.exec(fileName(path));
  if (!m) return undefined;
  const get = (f: string) => {
    const k = pattern.fields.indexOf(f as never);
    return k < 0 ? undefined : m[k + 1];
  };
  const yy = get('y');
  const year = get('Y') !== undefined ? Number(get('Y')) : 2000 + Number(yy);
  const z = get('z');
  const offset = z === undefined ? utcOffsetMinutes : parseUtcOffset(z, `the %z of ${fileName(path)}`);
  return makeStart({ year, month: Number(get('m')), day: Number(get('d')), hour: Number(get('H')), minute: Number(get('M')), second: Number(get('S') ?? 0) }, offset, 'pattern');
}

/**
 * An ISO 8601 timestamp (`2024-03-01T05:30:00`, with `Z`, `+05:30` or `-0300`, fractions of a second
 * dropped), as GUANO's Timestamp field writes it. A timestamp without offset takes `utcOffsetMinutes`.
 */
export function startFromIso(text: string, source: TimeSource, utcOffsetMinutes?: number): RecordingStart | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const offset = m[7] === undefined ? utcOffsetMinutes : parseUtcOffset(m[7], `the timestamp ${text}`);
  return makeStart({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] }, offset, source);
}

const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, '0');

/** `+05:30`, `-03:00`, `+00:00`. */
export function formatOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Wall-clock milliseconds of the start, as if the local time were UTC (for arithmetic in local time). */
export function localEpochMs(start: RecordingStart): number {
  return Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute, start.second);
}

/** The UTC instant of the start, or undefined when its offset is unknown. */
export function utcEpochMs(start: RecordingStart): number | undefined {
  return start.offsetMinutes === undefined ? undefined : localEpochMs(start) - start.offsetMinutes * 60_000;
}

/**
 * ISO 8601 of the moment `offsetSec` after the start, in the recorder's local time with its offset
 * (`2024-03-01T05:30:12.500-03:00`), or without offset when unknown. Milliseconds are shown when not zero.
 */
export function isoAt(start: RecordingStart, offsetSec = 0): string {
  const ms = Math.round(offsetSec * 1000);
  const d = new Date(localEpochMs(start) + ms);
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : '';
  const text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
  return start.offsetMinutes === undefined ? text : text + formatOffset(start.offsetMinutes);
}
