#!/usr/bin/env python3
"""Times the same DANet configuration in PyTorch and in this project, in one run.

PyTorch side: torchvision's ResNet with layer3/layer4 dilated (output stride 8, as the
reference DANet builds it, in-place ReLUs included) and the DANet head of
tools/danet_reference.py, random weights; inference under torch.no_grad(), a training step
with SGD (momentum 0.9, weight decay 1e-4) and cross-entropy on the three outputs. Java side:
`./danet bench` with the same model, input, batch and threads. Both run one after the other
on the same machine; the script prints the medians and their ratio (ours / PyTorch).

Needs Debian's python3-torch and python3-torchvision (run with /usr/bin/python3) and
libopenblas0-pthread (without it PyTorch falls back to the reference BLAS, ~10x slower).

    /usr/bin/python3 tools/compare_pytorch.py --size 512 --batch 1 --train-batch 2
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from danet_reference import DANetHead  # noqa: E402


class TorchDANet(nn.Module):
    """torchvision dilated ResNet + DANet head, outputs upsampled with align_corners=True."""

    def __init__(self, depth, classes):
        super().__init__()
        resnet = getattr(torchvision.models, f"resnet{depth}")(
            weights=None, replace_stride_with_dilation=[False, True, True])
        self.stem = nn.Sequential(resnet.conv1, resnet.bn1, resnet.relu, resnet.maxpool)
        self.layers = nn.Sequential(resnet.layer1, resnet.layer2, resnet.layer3, resnet.layer4)
        self.head = DANetHead(2048 if depth >= 50 else 512, classes)

    def forward(self, x):
        size = x.shape[-2:]
        features = self.layers(self.stem(x))
        outputs = self.head(features)
        return [F.interpolate(o, size, mode="bilinear", align_corners=True) for o in outputs]


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def torch_inference(model, size, batch, warmup, runs):
    model.eval()
    x = torch.randn(batch, 3, size[0], size[1])
    with torch.no_grad():
        return timed(lambda: model(x)[0], warmup, runs)


def torch_training(model, size, batch, warmup, runs, classes):
    model.train()
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    sgd = torch.optim.SGD([{"params": body}, {"params": head, "lr": 1e-8}], lr=1e-9, momentum=0.9,
                          weight_decay=1e-4)
    x = torch.randn(batch, 3, size[0], size[1])
    y = torch.randint(0, classes, (batch, size[0], size[1]))

    def step():
        sgd.zero_grad()
        loss = sum(F.cross_entropy(o, y, ignore_index=255) for o in model(x))
        loss.backward()
        sgd.step()

    return timed(step, warmup, runs)


def java_bench(launcher, threads, depth, classes, size, batch, mode, warmup, runs):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bench.json")
        cmd = [launcher, "--threads", str(threads), "bench", "--backbone", f"resnet{depth}",
               "--classes", str(classes), "--size", f"{size[0]}x{size[1]}", "--batch", str(batch),
               "--mode", mode, "--warmup", str(warmup), "--runs", str(runs), "--json", out]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            report = json.load(f)
    key = "inference" if mode == "inference" else "trainingStep"
    run = report["runs"][0][key]
    return run["milliseconds"]["total"], run["peakResidentBytes"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=50, choices=[18, 34, 50, 101])
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--size", type=int, default=512, help="square input side")
    ap.add_argument("--batch", type=int, default=1, help="inference batch")
    ap.add_argument("--train-batch", type=int, default=2, help="training-step batch (0: skip training)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--launcher", default=os.path.join(os.path.dirname(here), "danet"))
    ap.add_argument("--json", help="write the comparison here")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    size = (args.size, args.size)
    model = TorchDANet(args.depth, args.classes)
    rows = []

    torch_ms = statistics.median(torch_inference(model, size, args.batch, args.warmup, args.runs))
    java_ms, java_peak = java_bench(args.launcher, args.threads, args.depth, args.classes, size, args.batch,
                                    "inference", args.warmup, args.runs)
    rows.append(("inference", args.batch, torch_ms, java_ms["median"], java_peak))
    if args.train_batch > 0:
        torch_ms = statistics.median(torch_training(model, size, args.train_batch, args.warmup,
                                                    args.runs, args.classes))
        java_ms, java_peak = java_bench(args.launcher, args.threads, args.depth, args.classes, size,
                                        args.train_batch, "train", args.warmup, args.runs)
        rows.append(("training step", args.train_batch, torch_ms, java_ms["median"], java_peak))

    print(f"DANet-ResNet-{args.depth}, {args.classes} classes, input {args.size}x{args.size}, "
          f"{args.threads} threads, {args.warmup} warm-up + {args.runs} timed runs each")
    print(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads) vs danet-java (DJL, libtorch); "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')} for PyTorch "
          f"(the danet launcher uses PASSIVE unless it is set)")
    print(f"{'':16}{'batch':>6}{'PyTorch ms':>12}{'ours ms':>10}{'ours/PyTorch':>14}")
    for name, batch, t, j, _ in rows:
        print(f"{name:16}{batch:>6}{t:>12.1f}{j:>10.1f}{j / t:>14.3f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([dict(zip(("phase", "batch", "pytorch_ms", "ours_ms", "ours_peak_bytes"), r))
                       for r in rows], f, indent=2)


if __name__ == "__main__":
    main()
