#!/usr/bin/python3
"""Manual full-size DANet parity check (not a unit test).

Builds a full-size reference model with the same random-weight recipe as
make_parity_fixtures.py (see tools/danet_reference.py), but calibrates the BN running
statistics with a single random batch (batch size 1) to stay quick, and writes to --out:

  model.pth        float32 checkpoint in the reference layout (default: zip, wrapped as
                   {'epoch': 1, 'state_dict': sd, 'best_pred': 0.0})
  input.npy        1 x 3 x H x W float32 input, N(0, 1)
  ref_out.npy      float64 main output (model.double() on input.double(), upsampled)
  ref_out_f32.npy  float32 torch main output
  config.json      the model config, format and the float32-vs-float64 figures

and prints timings.  Example (about a minute or two on 2 CPU threads):

  /usr/bin/python3 tools/full_parity.py --backbone resnet50 --width 64 --multi-grid \
      --classes 19 --size 512 512 --out /tmp/danet_full

Then run the Java model on DIR/model.pth + DIR/input.npy, save its output as .npy and
compare with:  /usr/bin/python3 tools/compare_npy.py JAVA_OUT.npy DIR/ref_out.npy
"""

import argparse
import copy
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import danet_reference as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description="Full-size DANet reference outputs.")
    ap.add_argument("--backbone", default="resnet50",
                    choices=["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"])
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--deep-stem", action="store_true")
    ap.add_argument("--output-stride", type=int, default=8, choices=[8, 16])
    ap.add_argument("--multi-grid", action="store_true")
    ap.add_argument("--head", default="danet", choices=["danet", "pam", "cam", "fcn"])
    ap.add_argument("--aux", action="store_true")
    ap.add_argument("--classes", type=int, default=19)
    ap.add_argument("--size", type=int, nargs=2, default=[512, 512], metavar=("H", "W"))
    ap.add_argument("--calib-size", type=int, nargs=2, default=None, metavar=("H", "W"),
                    help="spatial size of the single calibration batch (default: --size). "
                         "Much smaller sizes give badly matched BN statistics, because the "
                         "dilated layer4 convs (dilation up to 16) then mostly see padding.")
    ap.add_argument("--format", default="zip", choices=["zip", "legacy"])
    ap.add_argument("--bare", action="store_true",
                    help="save the bare state_dict instead of the wrapped dict")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-f64", action="store_true", help="only the float32 output")
    ap.add_argument("--no-reference", action="store_true",
                    help="write the checkpoint and the input only (e.g. to compare the Java model's "
                         "whole-map and row-blocked attention at sizes PyTorch runs slowly)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    config = {"backbone": args.backbone, "width": args.width, "deep_stem": args.deep_stem,
              "output_stride": args.output_stride, "multi_grid": args.multi_grid,
              "head": args.head, "aux": args.aux, "classes": args.classes,
              "format": args.format, "wrapped": not args.bare,
              "input_shape": [1, 3, args.size[0], args.size[1]]}

    t0 = time.time()
    calib = list(args.calib_size or args.size)
    model = ref.build(config, args.seed, [1, 3] + calib, 1)
    config["calibration_shape"] = [1, 3] + calib
    nparams = sum(p.numel() for p in model.parameters())
    print("built + calibrated %s (%d params, %.2f M) in %.1fs" % (
        args.backbone, nparams, nparams / 1e6, time.time() - t0))
    ref.save_checkpoint(model.state_dict(), os.path.join(args.out, "model.pth"),
                        args.format, not args.bare)

    g = torch.Generator().manual_seed(args.seed + 7)
    x = torch.randn(config["input_shape"], generator=g, dtype=torch.float32)
    np.save(os.path.join(args.out, "input.npy"), x.numpy())

    if args.no_reference:
        print("wrote %s (checkpoint and input only)" % args.out)
        return
    with torch.no_grad():
        t0 = time.time()
        out32 = model(x)[0]
        t32 = time.time() - t0
        print("float32 forward %s -> %s: %.2fs" % (list(x.shape), list(out32.shape), t32))
        np.save(os.path.join(args.out, "ref_out_f32.npy"), out32.numpy())
        config["time_f32_s"] = t32
        if not args.skip_f64:
            model64 = copy.deepcopy(model).double().eval()
            t0 = time.time()
            out64 = model64(x.double())[0].numpy()
            t64 = time.time() - t0
            print("float64 forward: %.2fs" % t64)
            np.save(os.path.join(args.out, "ref_out.npy"), out64)
            a = out32.numpy().astype(np.float64)
            rel = float(np.linalg.norm(a - out64) / np.linalg.norm(out64))
            mx = float(np.max(np.abs(a - out64)))
            print("float32 vs float64: rel L2 %.3g, max abs %.3g, ref rms %.4g" % (
                rel, mx, float(np.sqrt(np.mean(out64 ** 2)))))
            config.update(time_f64_s=t64, float32_vs_float64_rel_l2=rel,
                          float32_vs_float64_max_abs=mx)
    config["torch_version"] = torch.__version__
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    print("wrote %s" % args.out)


if __name__ == "__main__":
    main()
