/*
 * capuchin's interface to minimp3 (CC0, https://github.com/lieff/minimp3), compiled to wasm by build.sh.
 * One decoder per instance. JS writes mp3 bytes at input(), calls decode(len, final) and reads mono float
 * samples (mean of the channels, mixed before synthesis by mono.patch) at output(). Frames are decoded whole: unless `final`, decoding stops
 * MARGIN bytes before the end so that minimp3 always sees the next frame's header (its sync check), and
 * JS carries the unread bytes into the next call.
 */
#include <stdint.h>
#define MINIMP3_IMPLEMENTATION
#define MINIMP3_FLOAT_OUTPUT
#define MINIMP3_MONO_OUTPUT
#define MINIMP3_HALF_RATE
#include "minimp3.h"

#define IN_CAP (1 << 20)
#define OUT_CAP (1 << 20)
#define MARGIN 16384

static mp3dec_t dec;
static unsigned char in_buf[IN_CAP];
static float out_buf[OUT_CAP];
static float frame_pcm[MINIMP3_MAX_SAMPLES_PER_FRAME];
static int r_hz, r_samples, r_new_hz, started, junk_pending, errors;

#define EXPORT(name) __attribute__((export_name(#name)))
EXPORT(init) void init(void) {
  mp3dec_init(&dec);
  r_hz = r_samples = r_new_hz = started = junk_pending = errors = 0;
  mp3d_half_phase = -1;
}
/* Before the first decode(): -1 (default) outputs every sample; 0 or 1 outputs the even or odd samples of the
   full-rate synthesis (half the rate, the upper half of the band removed; capuchin.patch). */
EXPORT(set_half) void set_half(int phase) { mp3d_half_phase = phase < 0 ? -1 : phase & 1; }
EXPORT(input) unsigned char *input(void) { return in_buf; }
EXPORT(input_capacity) int input_capacity(void) { return IN_CAP; }
EXPORT(margin) int margin(void) { return MARGIN; }
EXPORT(output) float *output(void) { return out_buf; }
/* Sample rate of the samples at output() (0 before the first frame; half the stream's with set_half). */
EXPORT(sample_rate) int sample_rate(void) { return r_hz >> MP3D_HALF_SHIFT; }
/* Mono samples written at output() by the last decode(). */
EXPORT(samples) int samples(void) { return r_samples; }
/* Non-zero when the last decode() stopped at a frame whose rate differs from the stream's: that rate. */
EXPORT(changed_rate) int changed_rate(void) { return r_new_hz; }
/* Runs of undecodable bytes or frames between decoded frames, so far (junk after the last frame is not counted). */
EXPORT(error_count) int error_count(void) { return errors; }

/* Decode whole frames from input()[0..len); returns the bytes consumed. */
EXPORT(decode) int decode(int len, int final) {
  int pos = 0;
  r_samples = 0;
  r_new_hz = 0;
  if (len > IN_CAP) len = IN_CAP;
  while (pos < len && r_samples + MINIMP3_MAX_SAMPLES_PER_FRAME <= OUT_CAP) {
    if (!final && len - pos < MARGIN) break;
    mp3dec_frame_info_t info;
    info.hz = 0;
    int n = mp3dec_decode_frame(&dec, in_buf + pos, len - pos, frame_pcm, &info);
    if (info.frame_bytes == 0) break; /* no frame in what is left */
    int decoded = n > 0;
    n >>= MP3D_HALF_SHIFT;
    if (!decoded) {
      if (started) junk_pending = 1;
      if (!info.hz) { /* bytes that are no frame: skipped */
        pos += info.frame_bytes;
        continue;
      }
      /* A frame that cannot be decoded, e.g. its bit reservoir is in frames before a cut: silence of its
         length, as ffmpeg and mpg123 give, so that later samples keep their times. */
      n = info.layer == 1 ? 384 : info.layer == 3 && info.hz < 32000 ? 576 : 1152;
      n >>= MP3D_HALF_SHIFT;
      memset(frame_pcm, 0, sizeof(float) * n * info.channels);
    }
    if (r_hz && info.hz != r_hz) { r_new_hz = info.hz; break; }
    pos += info.frame_bytes;
    r_hz = info.hz;
    if (decoded) {
      started = 1;
      if (junk_pending) { errors++; junk_pending = 0; }
    }
    /* mono already: minimp3 is built with MINIMP3_MONO_OUTPUT (mono.patch) */
    memcpy(out_buf + r_samples, frame_pcm, sizeof(float) * n);
    r_samples += n;
  }
  return pos;
}
