#!/usr/bin/python3
"""Independent numpy reference values for lib/features (spectrogram, mel, log-mel dB, MFCC).

Run with Debian's python (numpy + scipy), from anywhere:

    /usr/bin/python3 tools/reference/make_feature_fixtures.py

It writes lib/features/__fixtures__/: the 16 kHz float32 input signals (so the TypeScript tests compare
features only, not decoding or resampling), a subset of rows of every feature for each input, the
16 kHz mel weight matrix, and manifest.json. Nothing here imports capuchin code: the definitions are
re-implemented from their documentation:

- framing: tf.signal.stft(frame_length=320, frame_step=32, fft_length=512, pad_end=False),
  periodic Hann window (tf.signal.hann_window(periodic=True)), each frame zero-padded to 512;
- pad_or_trim to 48000 samples: keep the first 48000, prepend zeros when shorter;
- mel: tf.signal.linear_to_mel_weight_matrix (HTK mel 1127*ln(1+f/700), DC row zero), applied to
  the POWER spectrum; also with sample_rate=48000, the original project's bug;
- log-mel: 10*log10(max(amin, S)) - 10*log10(max(amin, max S)), floored at max - top_db;
- MFCC: scipy.fft.dct(type=2, norm='ortho') over the mel axis, first 20.

The test path never runs Python: re-run this only when the definitions change, and commit the output.
"""
import json
import pathlib
import subprocess

import numpy as np
import scipy
from scipy.fft import dct

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
OUT = ROOT / "lib" / "features" / "__fixtures__"

SAMPLE_RATE = 16000
CLIP_SAMPLES = 48000
FRAME_LENGTH = 320
HOP = 32
FFT_LENGTH = 512
MEL_BINS = 100
FMIN_HZ = 80.0
FMAX_HZ = 8000.0
TOP_DB = 80.0
AMIN = 1e-16
MFCC_COUNT = 20
ROW_STEP = 15  # keep every 15th frame (plus the last) to keep the fixtures small


def decode_16k(path: pathlib.Path, seconds: float) -> np.ndarray:
    """First `seconds` of a file as mono float32 at 16 kHz, decoded by ffmpeg (inputs only)."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-t", str(seconds), "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").copy()


def pad_or_trim_start(x: np.ndarray, n: int) -> np.ndarray:
    x = x[:n]
    return np.concatenate([np.zeros(n - len(x), dtype=x.dtype), x])


def hann_periodic(n: int) -> np.ndarray:
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)


def frame_signal(x: np.ndarray) -> np.ndarray:
    count = 1 + (len(x) - FRAME_LENGTH) // HOP
    index = HOP * np.arange(count)[:, None] + np.arange(FRAME_LENGTH)[None, :]
    return x[index].astype(np.float64)


def power_spectrum(x: np.ndarray) -> np.ndarray:
    frames = frame_signal(x) * hann_periodic(FRAME_LENGTH)[None, :]
    spec = np.fft.rfft(frames, n=FFT_LENGTH, axis=1)
    return spec.real**2 + spec.imag**2


def hz_to_mel(f):
    return 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_matrix(sample_rate: float) -> np.ndarray:
    """[257, MEL_BINS] following tf.signal.linear_to_mel_weight_matrix's documented algorithm."""
    bins = FFT_LENGTH // 2 + 1
    freqs = np.linspace(0.0, sample_rate / 2.0, bins)[1:]
    bins_mel = hz_to_mel(freqs)[:, None]
    edges = np.linspace(hz_to_mel(FMIN_HZ), hz_to_mel(FMAX_HZ), MEL_BINS + 2)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    lower_slope = (bins_mel - lower) / (center - lower)
    upper_slope = (upper - bins_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(lower_slope, upper_slope))
    return np.vstack([np.zeros((1, MEL_BINS)), weights])


def power_to_db(s: np.ndarray) -> np.ndarray:
    db = 10.0 * np.log10(np.maximum(AMIN, s)) - 10.0 * np.log10(np.maximum(AMIN, s.max()))
    return np.maximum(db, db.max() - TOP_DB)


def save(name: str, array: np.ndarray) -> str:
    np.save(OUT / name, np.ascontiguousarray(array, dtype="<f4"))
    return name


def make_clip(name: str, signal: np.ndarray, source: str) -> dict:
    clip = pad_or_trim_start(signal, CLIP_SAMPLES)
    power = power_spectrum(clip)
    frames = power.shape[0]
    rows = sorted(set(range(0, frames, ROW_STEP)) | {frames - 1})
    mel16 = power @ mel_matrix(SAMPLE_RATE)
    mel48 = power @ mel_matrix(48000)
    logmel = power_to_db(mel16)
    mfcc = dct(logmel, type=2, norm="ortho", axis=1)[:, :MFCC_COUNT]
    return {
        "name": name,
        "source": source,
        "input": save(f"{name}.input.npy", signal),
        "inputSamples": int(len(signal)),
        "frames": int(frames),
        "rows": rows,
        "spectrogram": save(f"{name}.spectrogram.npy", np.sqrt(power)[rows]),
        "melPower": save(f"{name}.mel-power.npy", mel16[rows]),
        "melPower48k": save(f"{name}.mel-power-48k.npy", mel48[rows]),
        "logMelDb": save(f"{name}.log-mel-db.npy", logmel[rows]),
        "mfcc": save(f"{name}.mfcc.npy", mfcc[rows]),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # A: a real Capuchinbird clip, 3.25 s, so pad_or_trim trims it to its first 3 s.
    pos = "Parsed_Capuchinbird_Clips/XC-example-0.wav"
    a = decode_16k(SAMPLE / pos, 3.25)[:52000]
    # B: 2.5 s of a real negative clip plus a chirp and seeded noise, so pad_or_trim prepends 0.5 s.
    neg = "Parsed_Not_Capuchinbird_Clips/recording_01-2.wav"
    b = decode_16k(SAMPLE / neg, 2.5)[:40000].astype(np.float64)
    t = np.arange(len(b)) / SAMPLE_RATE
    chirp = 0.05 * np.sin(2 * np.pi * (300 * t + 0.5 * (7000 - 300) / t[-1] * t**2))
    noise = 0.003 * np.random.default_rng(20240601).standard_normal(len(b))
    b = (b + chirp + noise).astype(np.float32)
    clips = [
        make_clip("capuchin-3.25s", a, f"data/sample/{pos}, first 3.25 s, ffmpeg to 16 kHz mono"),
        make_clip("negative-chirp-2.5s", b, f"data/sample/{neg}, first 2.5 s, ffmpeg to 16 kHz mono, + 0.05 chirp 300->7000 Hz + 0.003 noise"),
    ]
    manifest = {
        "generator": "tools/reference/make_feature_fixtures.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "config": {
            "sampleRate": SAMPLE_RATE, "clipSamples": CLIP_SAMPLES, "frameLength": FRAME_LENGTH, "hopLength": HOP,
            "fftLength": FFT_LENGTH, "melBins": MEL_BINS, "fminHz": FMIN_HZ, "fmaxHz": FMAX_HZ, "topDb": TOP_DB,
            "amin": AMIN, "mfccCount": MFCC_COUNT, "padMode": "start",
        },
        "melMatrix16k": save("mel-matrix-16k.npy", mel_matrix(SAMPLE_RATE)),
        "clips": clips,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1e6:.2f} MB, to {OUT}")


if __name__ == "__main__":
    main()
