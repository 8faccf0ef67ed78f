#!/usr/bin/python3
"""Writes the golden fixtures used by the Java DANet parity tests.

Run from the repository root (needs PyTorch; Debian's python3-torch works):

    /usr/bin/python3 tools/make_parity_fixtures.py [--out src/test/resources/fixtures/model]

The output is deterministic (fixed seeds, 2 CPU threads) and is committed, so this only
has to be re-run when the fixtures change.  Models are built with the plain-torch.nn
reference in tools/danet_reference.py, whose state_dict keys follow the reference DANet
checkpoint layout (pretrained.*, head.*, auxlayer.*).

Weights: conv weights kaiming-normal (fan_out, relu), conv biases N(0, 0.05^2), BN weight
U(0.5, 1.5) and bias N(0, 0.1^2); head.sa.gamma = 0.7, head.sc.gamma = -0.4; BN running
statistics are then calibrated as the cumulative average (momentum=None) over 3 random
batches (2 x input size) in train mode; finally eval().

For each fixture <name> it writes src/test/resources/fixtures/model/<name>/:
  model.pth        float32 checkpoint ("zip" = default torch.save, "legacy" =
                   _use_new_zipfile_serialization=False; "wrapped" = {'epoch': 1,
                   'state_dict': sd, 'best_pred': 0.0}, otherwise the bare state_dict)
  input.npy        float32 NCHW input, N(0, 1)
  c3.npy, c4.npy, head_in.npy (= c4)                      float64 backbone outputs
  pam_in.npy, pam_out.npy   (heads danet/pam)            conv5a output, PAM output
  cam_in.npy, cam_out.npy   (heads danet/cam)            conv5c output, CAM output
  head_out_<i>.npy          head outputs before upsampling
  aux_out.npy               aux head output before upsampling (if aux)
  out_<i>.npy               final outputs (bilinear, align_corners=True, to input HxW);
                            head outputs first, aux last
  config.json               model config, checkpoint format, shapes, torch version and the
                            relative L2 error of float32 torch vs the float64 reference
                            (main output out_0), for context
All float64 references come from model.double() run on input.double() in eval mode.

It also writes torchvision_r50_w4.pth: the backbone of danet_r50_w4 as a plain
torchvision-style state dict (no 'pretrained.' prefix) plus a random fc.weight (10 x C4)
and fc.bias; zip format, bare.
"""

import argparse
import copy
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import danet_reference as ref  # noqa: E402

FIXTURES = [
    dict(name="danet_r50_w4", seed=1001, backbone="resnet50", width=4, deep_stem=False,
         output_stride=8, multi_grid=True, head="danet", aux=True, classes=5,
         input_shape=[2, 3, 72, 56], format="zip", wrapped=True),
    dict(name="fcn_r18_w8_deepstem", seed=1002, backbone="resnet18", width=8,
         deep_stem=True, output_stride=16, multi_grid=False, head="fcn", aux=False,
         classes=3, input_shape=[1, 3, 64, 48], format="legacy", wrapped=False),
    dict(name="pam_r18_w8", seed=1003, backbone="resnet18", width=8, deep_stem=False,
         output_stride=8, multi_grid=False, head="pam", aux=False, classes=4,
         input_shape=[1, 3, 40, 48], format="zip", wrapped=False),
    dict(name="cam_r34_w4", seed=1004, backbone="resnet34", width=4, deep_stem=False,
         output_stride=8, multi_grid=True, head="cam", aux=False, classes=4,
         input_shape=[1, 3, 48, 40], format="legacy", wrapped=True),
]

CONFIG_KEYS = ["backbone", "width", "deep_stem", "output_stride", "multi_grid", "head",
               "aux", "classes", "format", "wrapped", "input_shape"]
CALIB_BATCHES = 3
TORCHVISION_NAME = "torchvision_r50_w4.pth"
TORCHVISION_FROM = "danet_r50_w4"


def rel_l2(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def save64(folder, name, t):
    arr = np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float64))
    if not np.all(np.isfinite(arr)):
        raise RuntimeError("%s/%s has non-finite values" % (folder, name))
    np.save(os.path.join(folder, name + ".npy"), arr)
    return arr


def make_fixture(spec, out_root, verbose=True):
    name, seed = spec["name"], spec["seed"]
    folder = os.path.join(out_root, name)
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):  # no stale files from an older layout
        if f.endswith(".npy") or f in ("model.pth", "config.json"):
            os.remove(os.path.join(folder, f))

    torch.manual_seed(seed)
    n, c, h, w = spec["input_shape"]
    model = ref.build(spec, seed, [2, c, h, w], CALIB_BATCHES)
    sd = model.state_dict()
    for k, v in sd.items():
        if v.is_floating_point() and v.dtype != torch.float32:
            raise RuntimeError("non-float32 tensor %s" % k)
    ref.save_checkpoint(sd, os.path.join(folder, "model.pth"), spec["format"],
                        spec["wrapped"])

    g = torch.Generator().manual_seed(seed + 7)
    x32 = torch.randn(spec["input_shape"], generator=g, dtype=torch.float32)
    np.save(os.path.join(folder, "input.npy"), x32.numpy())

    with torch.no_grad():
        outs32 = model(x32)
        model64 = copy.deepcopy(model).double().eval()
        outs64, taps = model64.forward_taps(x32.double())

    arrays = {}
    arrays["c3"] = save64(folder, "c3", taps["c3"])
    arrays["c4"] = save64(folder, "c4", taps["c4"])
    save64(folder, "head_in", taps["c4"])
    for key in ("pam_in", "pam_out", "cam_in", "cam_out"):
        if key in taps:
            arrays[key] = save64(folder, key, taps[key])
    for i, t in enumerate(taps["head_out"]):
        arrays["head_out_%d" % i] = save64(folder, "head_out_%d" % i, t)
    if "aux_out" in taps:
        arrays["aux_out"] = save64(folder, "aux_out", taps["aux_out"])
    for i, t in enumerate(outs64):
        arrays["out_%d" % i] = save64(folder, "out_%d" % i, t)

    errs = [rel_l2(o32.numpy(), o64.numpy()) for o32, o64 in zip(outs32, outs64)]
    config = {k: spec[k] for k in CONFIG_KEYS}
    config["outputs"] = len(outs64)
    config["torch_version"] = torch.__version__
    config["float32_vs_float64_rel_l2"] = errs[0]
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")

    if verbose:
        print("== %s  (%d params, seed %d)" % (
            name, sum(p.numel() for p in model.parameters()), seed))
        print("   layer dilations: %s" % model.pretrained.block_dilations)
        for k, a in arrays.items():
            print("   %-11s %-20s rms %.4g  max|.| %.4g" % (
                k, str(list(a.shape)), float(np.sqrt(np.mean(a * a))),
                float(np.max(np.abs(a)))))
        print("   float32 vs float64 rel L2 per output: %s" % (
            ", ".join("%.3g" % e for e in errs)))
    return model


def write_torchvision(model, path, seed):
    sd = model.pretrained.state_dict()  # keys: conv1.weight, layer1.0.bn1.running_var, ...
    c4 = model.pretrained.c4_channels
    g = torch.Generator().manual_seed(seed)
    sd["fc.weight"] = torch.randn(10, c4, generator=g) * (1.0 / c4) ** 0.5
    sd["fc.bias"] = torch.randn(10, generator=g) * 0.05
    ref.save_checkpoint(sd, path, "zip", False)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "src", "test", "resources",
                               "fixtures", "model")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=default_out, help="fixture root folder")
    args = ap.parse_args()

    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    built = {}
    for spec in FIXTURES:
        built[spec["name"]] = make_fixture(spec, args.out)
    write_torchvision(built[TORCHVISION_FROM], os.path.join(args.out, TORCHVISION_NAME),
                      seed=2001)
    print("wrote fixtures to %s" % args.out)


if __name__ == "__main__":
    main()
