#!/usr/bin/env python3
"""One process, one PyTorch training step setting: the anchor row of tools/train-memory-bench.sh.

Builds the model of tools/compare_pytorch.py (torchvision's dilated ResNet, output stride 8, and
the reference DANet head; random weights), runs SGD steps (momentum 0.9, weight decay 1e-4,
cross-entropy on the three outputs) on a random batch and writes the step times as JSON. Peak
resident memory is read from outside, by the bench script, as for the Java variants.

    /usr/bin/python3 tools/torch_train_step.py --depth 50 --size 768x768 --batch 2 --json out.json
"""

import argparse
import json
import os
import statistics
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_pytorch import TorchDANet, torch_training  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=50, choices=[18, 34, 50, 101])
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--size", default="512x512", help="HxW (or one side for a square)")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--json", required=True)
    args = ap.parse_args()

    sides = [int(s) for s in args.size.split("x")]
    size = (sides[0], sides[-1])
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = TorchDANet(args.depth, args.classes)
    samples = torch_training(model, size, args.batch, args.warmup, args.runs, args.classes)
    with open(args.json, "w") as f:
        json.dump({"torch": torch.__version__, "size": list(size), "batch": args.batch,
                   "milliseconds": samples, "median": statistics.median(samples)}, f, indent=2)


if __name__ == "__main__":
    main()
