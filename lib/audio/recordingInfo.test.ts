import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertChunk, tempFolder, wavBytes } from './__fixtures__/testAudio.ts';
import { blobSource } from './byteSource.ts';
import { readRecordingInfo, recordingInfoFromName, siteOf } from './recordingInfo.ts';
import { compileTimePattern, isoAt } from './recordingTime.ts';
import { readWavComment, startFromAudioMothComment } from './wavComment.ts';

const enc = (t: string) => new TextEncoder().encode(t);

/** A LIST/INFO chunk body with one ICMT comment, as AudioMoth firmware writes it. */
function infoList(comment: string): Uint8Array {
  const text = enc(comment + '\0');
  const body = new Uint8Array(4 + 8 + text.length + (text.length % 2));
  body.set(enc('INFO'), 0);
  body.set(enc('ICMT'), 4);
  new DataView(body.buffer).setUint32(8, text.length, true);
  body.set(text, 12);
  return body;
}

test('AudioMoth comments: the recorder\'s own offset, UTC or a configured time zone', () => {
  const at = (c: string) => { const s = startFromAudioMothComment(c); return s && isoAt(s); };
  assert.equal(at('Recorded at 05:30:00 01/03/2024 (UTC) by AudioMoth 24F319045B at medium gain while battery was 4.2V.'), '2024-03-01T05:30:00+00:00');
  assert.equal(at('Recorded at 05:30:00 01/03/2024 (UTC-3) by AudioMoth 24F319045B'), '2024-03-01T05:30:00-03:00');
  assert.equal(at('Recorded at 23:00:10 31/12/2023 (UTC+5:30) by AudioMoth 1'), '2023-12-31T23:00:10+05:30');
  assert.equal(at('Recorded at 05:30:00 31/02/2024 (UTC) by AudioMoth'), undefined);
  assert.equal(at('Song Meter Mini'), undefined);
});

test('start time precedence: GUANO, then the AudioMoth comment, then --time-pattern, then the recorder name; sites', async () => {
  const { dir, cleanup } = tempFolder('capuchin-info-');
  try {
    const wav = wavBytes([new Float32Array(1600)], 16000);
    const comment = 'Recorded at 05:30:00 01/03/2024 (UTC-3) by AudioMoth 24F319045B';
    const guano = enc('GUANO|Version: 1.0\nTimestamp: 2024-03-01T08:30:00Z\n');
    const files = {
      plain: join(dir, '20240301_053000.WAV'),
      moth: join(dir, '20240301_053001.WAV'),
      both: join(dir, '20240301_053002.WAV'),
    };
    writeFileSync(files.plain, wav);
    writeFileSync(files.moth, insertChunk(wav, 'LIST', infoList(comment), 'before-data'));
    writeFileSync(files.both, insertChunk(insertChunk(wav, 'LIST', infoList(comment), 'before-data'), 'guan', guano, 'end'));
    assert.equal(await readWavComment(files.moth), comment);
    assert.equal(await readWavComment(files.plain), undefined);

    const info = (f: string, opts = {}) => readRecordingInfo(f, f.slice(dir.length + 1), 'deployment', opts);
    assert.equal(isoAt((await info(files.plain)).start!), '2024-03-01T05:30:00+00:00'); // the name: AudioMoth's UTC default
    const moth = (await info(files.moth)).start!;
    assert.deepEqual([isoAt(moth), moth.source], ['2024-03-01T05:30:00-03:00', 'audiomoth']); // the comment (its time, its zone) wins over the name
    const both = (await info(files.both)).start!;
    assert.deepEqual([isoAt(both), both.source], ['2024-03-01T08:30:00+00:00', 'guano']);
    // the same from a browser File (a ByteSource)
    const blob = new Blob([insertChunk(wav, 'LIST', infoList(comment), 'before-data')]);
    assert.equal(isoAt((await readRecordingInfo(blobSource(blob, '20240301_053001.WAV'), '20240301_053001.WAV', '')).start!), '2024-03-01T05:30:00-03:00');
    // --time-pattern over the name's own rule; the name alone when the file is not opened
    const pattern = compileTimePattern('%Y%m%d_%H%M%S');
    assert.equal((await info(files.plain, { timePattern: pattern, utcOffsetMinutes: 60 })).start!.source, 'pattern');
    assert.equal(isoAt(recordingInfoFromName(files.plain, '20240301_053000.WAV', 'deployment', { utcOffsetMinutes: 60 }).start!), '2024-03-01T05:30:00+01:00');
  } finally {
    cleanup();
  }
  // sites: --site, --site-pattern (named group, first group), the first folder, the counted folder
  assert.equal(siteOf('x.wav', 'North ridge'), 'North ridge');
  assert.equal(siteOf('siteA/sd1/x.wav', 'deployment'), 'siteA');
  assert.equal(siteOf('siteA/sd1/x.wav', 'deployment', { site: 'Reserve' }), 'Reserve');
  assert.equal(siteOf('2024/CAP07_20240301_053000.wav', 'd', { sitePattern: /(?<site>CAP\d+)_/ }), 'CAP07');
  assert.equal(siteOf('2024/CAP07_20240301_053000.wav', 'd', { sitePattern: /\/([A-Z]+)\d/ }), 'CAP');
  assert.equal(siteOf('2024/x.wav', 'd', { sitePattern: /(?<site>CAP\d+)_/ }), '');
});
