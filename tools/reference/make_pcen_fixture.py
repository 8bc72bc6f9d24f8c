#!/usr/bin/env python3
"""Independent reference values for capuchin's PCEN feature kind (lib/features/pcen.ts), from librosa.

Needs numpy and librosa (not part of capuchin's install; a throw-away virtual environment will do):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install librosa
    /tmp/venv/bin/python tools/reference/make_pcen_fixture.py

Input: the 16 kHz fixture signal lib/features/__fixtures__/capuchin-3.25s.input.npy, cut to its first
3 s (pad_or_trim 'start'). The mel power is re-implemented here in numpy (tf.signal semantics, as in
make_feature_fixtures.py: periodic Hann, no centring, HTK mel with a zero DC row, applied to |STFT|^2);
PCEN is librosa.pcen on S = sqrt(mel power) * 2**31 with the smoother's initial state at the clip's
mean per band (zi = (1 - b) * mean). Writes capuchin-3.25s.pcen.npy [frames, bands] and pcen.json.
"""
import json
import pathlib

import librosa
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "lib" / "features" / "__fixtures__"
CONFIG = {
    "kind": "pcen", "sampleRate": 16000, "clipSec": 3, "frameLength": 400, "hopLength": 160, "fftLength": 512,
    "melBins": 48, "fminHz": 100, "fmaxHz": 5000,
    "pcenTimeConstantSec": 0.4, "pcenGain": 0.98, "pcenBias": 2, "pcenPower": 0.5,
}


def mel_power(x: np.ndarray, c: dict) -> np.ndarray:
    n, hop, nfft = c["frameLength"], c["hopLength"], c["fftLength"]
    count = 1 + (len(x) - n) // hop
    frames = x[hop * np.arange(count)[:, None] + np.arange(n)[None, :]].astype(np.float64)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)
    spec = np.fft.rfft(frames * window, n=nfft, axis=1)
    power = spec.real**2 + spec.imag**2
    mel = lambda f: 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)
    freqs = np.linspace(0.0, c["sampleRate"] / 2.0, nfft // 2 + 1)[1:]
    edges = np.linspace(mel(c["fminHz"]), mel(c["fmaxHz"]), c["melBins"] + 2)
    bm = mel(freqs)[:, None]
    w = np.maximum(0.0, np.minimum((bm - edges[:-2]) / (edges[1:-1] - edges[:-2]), (edges[2:] - bm) / (edges[2:] - edges[1:-1])))
    return power @ np.vstack([np.zeros((1, c["melBins"])), w])


def main() -> None:
    x = np.load(OUT / "capuchin-3.25s.input.npy").astype(np.float64)[: CONFIG["clipSec"] * CONFIG["sampleRate"]]
    s = np.sqrt(mel_power(x, CONFIG)).T * 2.0**31  # [bands, frames], librosa's layout
    t = CONFIG["pcenTimeConstantSec"] * CONFIG["sampleRate"] / CONFIG["hopLength"]
    b = (np.sqrt(1 + 4 * t**2) - 1) / (2 * t**2)
    zi = (1 - b) * s.mean(axis=1, keepdims=True)
    out = librosa.pcen(s, sr=CONFIG["sampleRate"], hop_length=CONFIG["hopLength"], gain=CONFIG["pcenGain"], bias=CONFIG["pcenBias"],
                       power=CONFIG["pcenPower"], time_constant=CONFIG["pcenTimeConstantSec"], eps=1e-6, zi=zi)
    np.save(OUT / "capuchin-3.25s.pcen.npy", np.ascontiguousarray(out.T, dtype="<f4"))
    meta = {"generator": "tools/reference/make_pcen_fixture.py", "librosa": librosa.__version__, "numpy": np.__version__,
            "input": "capuchin-3.25s.input.npy (first 3 s)", "output": "capuchin-3.25s.pcen.npy", "config": CONFIG}
    (OUT / "pcen.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"PCEN {out.T.shape}, range [{out.min():.3f}, {out.max():.3f}]")


if __name__ == "__main__":
    main()
