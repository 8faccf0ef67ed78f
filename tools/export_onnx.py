#!/usr/bin/env python3
"""Writes the model of the ONNX Runtime comparison (issue 14): a random DANet in the reference
layout (tools/danet_reference.py: calibrated batch norms, non-zero attention scalars) as a
PyTorch checkpoint that ./danet reads, the same model exported to ONNX (opset 13, height and
width dynamic, the main output only), and one input with PyTorch's output for it (float32, and float64 as the exact reference), so that
both runtimes can be checked against PyTorch before they are timed.

Needs Debian's python3-torch and python3-torchvision (run with /usr/bin/python3).

    /usr/bin/python3 tools/export_onnx.py --out out/onnx-bench --size 512
"""

import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from danet_reference import build  # noqa: E402


class MainOutput(nn.Module):
    """The fused score map only: what an engineer serving the model would export."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--depth", type=int, default=50, choices=[50, 101])
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--size", default="512", help="check input: N or HxW")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    h, w = (int(v) for v in (args.size.split("x") if "x" in args.size else (args.size, args.size)))
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)

    config = {"backbone": args.depth, "width": 64, "deep_stem": False, "output_stride": 8, "multi_grid": False,
              "head": "danet", "aux": False, "classes": args.classes}
    model = build(config, args.seed, (2, 3, 128, 128), 2).eval()
    torch.save(model.state_dict(), os.path.join(args.out, "danet.pth"))

    wrapped = MainOutput(model).eval()
    x = torch.randn(1, 3, h, w, generator=torch.Generator().manual_seed(args.seed + 7))
    torch.onnx.export(wrapped, x, os.path.join(args.out, "danet.onnx"), opset_version=13,
                      input_names=["image"], output_names=["scores"],
                      dynamic_axes={"image": {2: "height", 3: "width"}, "scores": {2: "height", 3: "width"}})
    with torch.no_grad():
        y = wrapped(x)
        # The float64 reference: float32 runtimes differ from each other by their summation
        # orders, amplified where a softmax is peaked; the error against exact arithmetic is
        # what each one is judged by.
        y64 = MainOutput(model.double()).eval()(x.double())
    np.save(os.path.join(args.out, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "pytorch.npy"), y.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "pytorch64.npy"), y64.numpy())
    print("wrote %s: danet.pth, danet.onnx, input.npy (1x3x%dx%d), pytorch.npy, pytorch64.npy" % (args.out, h, w))


if __name__ == "__main__":
    main()
