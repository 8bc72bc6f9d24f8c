import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTimePattern, isoAt, parseUtcOffset, startFromIso, startFromPattern, startFromRecorderName, utcEpochMs } from './recordingTime.ts';

test('AudioMoth names: YYYYMMDD_HHMMSS, UTC unless the recorder was set to an offset', () => {
  const t = startFromRecorderName('/deploy/site3/20240301_053000.WAV')!;
  assert.equal(t.source, 'audiomoth');
  assert.equal(isoAt(t), '2024-03-01T05:30:00+00:00');
  assert.equal(utcEpochMs(t), Date.UTC(2024, 2, 1, 5, 30, 0));
  // a recorder set to local time: the fixed offset is applied, the wall clock stays as named
  assert.equal(isoAt(startFromRecorderName('20240301_053000.WAV', -180)!), '2024-03-01T05:30:00-03:00');
  // the triggered-recording suffix and lower-case extension
  assert.equal(isoAt(startFromRecorderName('20231231_235959_T.wav')!), '2023-12-31T23:59:59+00:00');
});

test('Song Meter names: PREFIX_YYYYMMDD_HHMMSS, local time whose offset only the user knows', () => {
  const t = startFromRecorderName('SMA01234_20240301_053000.wav')!;
  assert.equal(t.source, 'songmeter');
  assert.equal(t.offsetMinutes, undefined);
  assert.equal(isoAt(t), '2024-03-01T05:30:00'); // no offset claimed
  assert.equal(utcEpochMs(t), undefined);
  assert.equal(isoAt(startFromRecorderName('S4A12345_20240301_053000.wav', 330)!), '2024-03-01T05:30:00+05:30');
  assert.equal(isoAt(startFromRecorderName('Site_North_20240301_053000_000.wav', -300)!), '2024-03-01T05:30:00-05:00');
});

test('names that are not times give no start time', () => {
  for (const name of ['recording_00.mp3', '20240231_053000.WAV', '20241301_053000.WAV', '20240301_253000.WAV', '20240301_0530.WAV', 'x20240301_053000', 'SMA_20240301_056100.wav'])
    assert.equal(startFromRecorderName(name), undefined, name);
});

test('--utc-offset: fixed offsets, DST-free, checked', () => {
  assert.equal(parseUtcOffset('+05:30'), 330);
  assert.equal(parseUtcOffset('-0300'), -180);
  assert.equal(parseUtcOffset('-3'), -180);
  assert.equal(parseUtcOffset('UTC+01:00'), 60);
  assert.equal(parseUtcOffset('Z'), 0);
  assert.equal(parseUtcOffset('+14:00'), 840);
  assert.throws(() => parseUtcOffset('America/Sao_Paulo'), /--utc-offset must look like \+05:30/);
  assert.throws(() => parseUtcOffset('+15:00'), /outside -14:00/);
  assert.throws(() => parseUtcOffset('+05:75'), /outside/);
  // a fixed offset never shifts with a DST date: 10 March 2024 (US DST starts) keeps -05:00 on both sides
  const before = startFromRecorderName('SM4_20240310_015959.wav', -300)!;
  const after = startFromRecorderName('SM4_20240310_030000.wav', -300)!;
  assert.equal(isoAt(before), '2024-03-10T01:59:59-05:00');
  assert.equal(isoAt(after), '2024-03-10T03:00:00-05:00');
  assert.equal((utcEpochMs(after)! - utcEpochMs(before)!) / 1000, 3601);
});

test('isoAt: call times after the start, across midnight, month and year ends, with milliseconds', () => {
  const t = startFromRecorderName('SMA_20231231_235930.wav', -180)!;
  assert.equal(isoAt(t, 12.5), '2023-12-31T23:59:42.500-03:00');
  assert.equal(isoAt(t, 45.25), '2024-01-01T00:00:15.250-03:00');
  const leap = startFromRecorderName('20240228_235959.WAV')!;
  assert.equal(isoAt(leap, 1), '2024-02-29T00:00:00+00:00');
});

test('--time-pattern: strftime fields anywhere in the name, %z, *, and clear errors', () => {
  const p = compileTimePattern('rec-%Y-%m-%d_%H%M%S');
  assert.equal(isoAt(startFromPattern('/x/ARU7 rec-2024-03-01_053000.flac', p, 60)!), '2024-03-01T05:30:00+01:00');
  assert.equal(startFromPattern('/x/other.flac', p), undefined);
  const z = compileTimePattern('%y%m%d*%H%M%z');
  const tz = startFromPattern('240301-x-0530+0530.wav', z, -180)!;
  assert.equal(isoAt(tz), '2024-03-01T05:30:00+05:30'); // %z wins over --utc-offset
  assert.equal(tz.source, 'pattern');
  assert.equal(isoAt(startFromPattern('240301-0530Z.wav', z)!), '2024-03-01T05:30:00+00:00');
  assert.equal(startFromPattern('240231-0530Z.wav', z), undefined); // 31 February
  assert.throws(() => compileTimePattern('%Y%m%d'), /lacks %H %M/);
  assert.throws(() => compileTimePattern('%Y%m%d_%H%M%q'), /%q is not a field/);
  assert.throws(() => compileTimePattern('%Y%Y%m%d%H%M'), /%Y twice/);
  // literal characters that mean something in a regular expression stay literal
  const dots = compileTimePattern('a.(%Y%m%d)%H%M');
  assert.equal(startFromPattern('abc(20240301)0530.wav', dots), undefined);
  assert.ok(startFromPattern('a.(20240301)0530.wav', dots));
});

test('GUANO-style ISO 8601 timestamps: offsets, Z, fractions, and none', () => {
  assert.equal(isoAt(startFromIso('2024-03-01T05:30:00-03:00', 'guano')!), '2024-03-01T05:30:00-03:00');
  assert.equal(isoAt(startFromIso('2024-03-01 05:30:00.123Z', 'guano')!), '2024-03-01T05:30:00+00:00');
  assert.equal(isoAt(startFromIso('2024-03-01T05:30:00+0530', 'guano')!), '2024-03-01T05:30:00+05:30');
  assert.equal(isoAt(startFromIso('2024-03-01T05:30:00', 'guano')!), '2024-03-01T05:30:00');
  assert.equal(isoAt(startFromIso('2024-03-01T05:30:00', 'guano', -240)!), '2024-03-01T05:30:00-04:00');
  assert.equal(startFromIso('01/03/2024 05:30', 'guano'), undefined);
});
