#!/usr/bin/env python3
"""Time one Adam training step of a capuchin architecture in PyTorch (CPU), as the reference for
experiments/bench/train.ts. The model is built from the same layer list the TypeScript side uses
(lib/model/architectures/spec.ts LayerSpec, passed as JSON), so both sides train the same network.

Usage: /usr/bin/python3 tools/reference/torch_step.py --spec spec.json --frames 299 --bins 64 \
           --batch 32 --threads 2 --steps 5 --warmup 2
Prints one JSON object: {"torch": version, "threads": n, "median_s": s, "times_s": [...],
"median_cpu_s": process CPU seconds per step, "params": n}.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
from torch import nn


def same_pads(size, kernel, stride):
    """TensorFlow 'same' padding (before, after) for one spatial dimension."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def build(layers, frames, bins):
    """nn.Sequential from the LayerSpec list, NCHW input [batch, 1, frames, bins]."""
    c, h, w = 1, frames, bins
    mods = []
    flat = None
    for layer in layers:
        kind = layer["kind"]
        if kind in ("inputNorm", "batchNorm"):
            if flat is None:
                bn = nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)
            else:
                bn = nn.BatchNorm1d(flat, eps=1e-3, momentum=0.01)
            if kind == "inputNorm":
                for p in bn.parameters():
                    p.requires_grad_(False)
            mods.append(bn)
        elif kind == "conv":
            kh, kw = layer["kernel"]
            sh, sw = layer.get("strides", [1, 1])
            if layer["padding"] == "same":
                (pt, pb), (pl, pr) = same_pads(h, kh, sh), same_pads(w, kw, sw)
                if (pt, pl) != (pb, pr):
                    mods.append(nn.ZeroPad2d((pl, pr, pt, pb)))
                    pad = 0
                else:
                    pad = (pt, pl)
                h, w = math.ceil(h / sh), math.ceil(w / sw)
            else:
                pad = 0
                h, w = (h - kh) // sh + 1, (w - kw) // sw + 1
            mods.append(nn.Conv2d(c, layer["filters"], (kh, kw), (sh, sw), pad, bias=layer.get("useBias", True)))
            c = layer["filters"]
            if layer.get("activation", "linear") == "relu":
                mods.append(nn.ReLU())
        elif kind == "relu":
            mods.append(nn.ReLU())
        elif kind == "maxPool":
            ph, pw = layer["pool"]
            mods.append(nn.MaxPool2d((ph, pw)))
            h, w = h // ph, w // pw
        elif kind in ("globalAvgPool", "globalMaxPool"):
            mods.append(nn.AdaptiveAvgPool2d(1) if kind == "globalAvgPool" else nn.AdaptiveMaxPool2d(1))
            mods.append(nn.Flatten())
            flat = c
        elif kind == "dropout":
            mods.append(nn.Dropout(layer["rate"]))
        elif kind == "flatten":
            # tfjs flattens NHWC; the order differs from NCHW but the cost is identical
            mods.append(nn.Flatten())
            flat = c * h * w
        elif kind == "dense":
            mods.append(nn.Linear(flat, layer["units"]))
            flat = layer["units"]
            act = layer["activation"]
            if act == "relu":
                mods.append(nn.ReLU())
            elif act == "sigmoid":
                mods.append(nn.Sigmoid())
        else:
            raise SystemExit(f"torch_step.py: unknown layer kind '{kind}'")
    return nn.Sequential(*mods)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", required=True, help="JSON file with the LayerSpec list")
    ap.add_argument("--frames", type=int, required=True)
    ap.add_argument("--bins", type=int, required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(args.spec) as f:
        layers = json.load(f)
    model = build(layers, args.frames, args.bins)
    model.train()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    loss_fn = nn.BCELoss()
    x = torch.randn(args.batch, 1, args.frames, args.bins)
    y = (torch.arange(args.batch) % 2).float().unsqueeze(1)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    times, cpu = [], []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    json.dump(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "median_s": statistics.median(times),
            "times_s": times,
            "median_cpu_s": statistics.median(cpu),
            "params": sum(p.numel() for p in model.parameters()),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
