#!/usr/bin/python3
"""Writes the PyTorch checkpoint fixtures that PthReaderTest reads.

Run from the repository root with Debian's Python (it ships python3-torch 1.13 and numpy):

    /usr/bin/python3 tools/make_pth_fixtures.py

It (re)writes src/test/resources/fixtures/pth/:

  state_dict_zip.pth        a state dict, zip format (torch >= 1.6 default)
  state_dict_legacy.pth     the same state dict, legacy format (_use_new_zipfile_serialization=False)
  wrapped_zip.pth           {'epoch': 3, 'state_dict': <the state dict>, 'best_pred': 0.5,
  wrapped_legacy.pth         'optimizer': {...}, 'pixAcc': numpy.float64(0.75)} in both formats
  no_state_dict.pth         {'epoch': 3, 'note': 'no tensors here', 'best_pred': 0.5}: nothing to load
  expected.json             for each state dict key, in file order: dtype, shape, values

Values in expected.json are the exact stored values, flattened in row-major order: floating
types as JSON numbers holding the exact float64 value (float16/bfloat16/float32 widen exactly),
with "inf", "-inf" and "nan" as strings; integer types as JSON integers; bool as 0/1.

The output is deterministic: a fixed seed, and in the legacy format the storage keys (which
torch takes from memory addresses) are pinned to "0", "1", ... in order of first use.
"""
import builtins
import json
import math
import os
from collections import OrderedDict

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "pth")


def build_state_dict():
    torch.manual_seed(20240607)
    module = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3), torch.nn.BatchNorm2d(2))
    with torch.no_grad():
        module[1].running_mean.copy_(torch.randn(2))
        module[1].running_var.copy_(torch.rand(2) + 0.5)
        module[1].num_batches_tracked.fill_(7)
    # A real module state dict: an OrderedDict carrying a _metadata attribute, with
    # 'bn'-style keys including the int64 0-dim num_batches_tracked.
    sd = module.state_dict()

    sd["param"] = torch.nn.Parameter(torch.randn(2, 3))           # saved as an nn.Parameter
    sd["float64"] = torch.randn(3, dtype=torch.float64)
    sd["float16"] = torch.tensor(
        [1.0, -2.5, 65504.0, 6.1035e-05, 5.96e-08, 3.0e-06, -0.0, float("inf"), float("-inf"),
         float("nan"), 0.1, 1.0 / 3.0], dtype=torch.float16).reshape(3, 4)
    sd["bfloat16"] = torch.tensor([1.0, -3.140625, 1e-40, 3.0e38, 0.1, float("inf")],
                                  dtype=torch.bfloat16)
    sd["int64_big"] = torch.tensor([-(2 ** 62) - 3, 2 ** 53 + 1, 0, -1], dtype=torch.int64)
    sd["int32"] = torch.tensor([[-2 ** 31, 2 ** 31 - 1], [5, -6]], dtype=torch.int32)
    sd["int16"] = torch.tensor([-32768, 32767, 1], dtype=torch.int16)
    sd["int8"] = torch.tensor([-128, 127, -1], dtype=torch.int8)
    sd["uint8"] = torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True, True])
    sd["scalar"] = torch.tensor(3.25)                                # 0-dim float32
    sd["empty"] = torch.empty(0, 3)                                  # no elements
    sd["transposed"] = torch.randn(3, 4).t()                         # non-contiguous view
    sd["strided"] = torch.randn(2, 6)[:, 1::2]                       # offset 1, stride (6, 2)
    sd["expanded"] = torch.randn(3, 1).expand(3, 4)                  # stride (1, 0)
    shared = torch.randn(10)
    sd["shared.a"] = shared[2:6]                                     # one storage, offset 2
    sd["shared.b"] = shared[5:].view(5, 1)                           # same storage, offset 5
    sd["shared.half"] = torch.randn(8, dtype=torch.float16)[3:7:3]  # float16 view, offset 3
    sd["float32_cube"] = torch.randn(2, 3, 4).permute(2, 0, 1)      # 3-d permuted view
    return sd


def expected_entry(t):
    t = t.detach()
    dtype = str(t.dtype).replace("torch.", "")
    flat = t.contiguous().reshape(-1)
    if t.is_floating_point():
        values = []
        for v in flat.to(torch.float64).tolist():
            if math.isnan(v):
                values.append("nan")
            elif math.isinf(v):
                values.append("inf" if v > 0 else "-inf")
            else:
                values.append(v)
    else:
        values = [int(v) for v in flat.to(torch.int64).tolist()]
    return {"dtype": dtype, "shape": list(t.shape), "values": values}


def save_zip(obj, path):
    torch.save(obj, path)


def save_legacy(obj, path):
    """torch.save(obj, path, _use_new_zipfile_serialization=False), with the storage keys
    pinned to first-use order instead of memory addresses, so the bytes are reproducible."""
    import pickle
    import types
    import torch.serialization as ser
    pinned = {}

    def stable_str(x):
        # _legacy_save names each storage str(storage._cdata); it calls str nowhere else.
        if type(x) is int:
            return pinned.setdefault(x, builtins.str(len(pinned)))
        return builtins.str(x)

    legacy_save = types.FunctionType(ser._legacy_save.__code__,
                                     dict(ser._legacy_save.__globals__, str=stable_str))
    with open(path, "wb") as f:
        legacy_save(obj, f, pickle, ser.DEFAULT_PROTOCOL)


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = build_state_dict()

    save_zip(sd, os.path.join(OUT, "state_dict_zip.pth"))
    save_legacy(sd, os.path.join(OUT, "state_dict_legacy.pth"))

    wrapped = {
        "epoch": 3,
        "state_dict": sd,
        "best_pred": 0.5,
        "optimizer": {"state": {}, "param_groups": [{"lr": 0.01, "momentum": 0.9,
                                                     "params": [0, 1, 2]}]},
        "pixAcc": np.float64(0.75),
    }
    save_zip(wrapped, os.path.join(OUT, "wrapped_zip.pth"))
    save_legacy(wrapped, os.path.join(OUT, "wrapped_legacy.pth"))
    save_zip({"epoch": 3, "note": "no tensors here", "best_pred": 0.5},
             os.path.join(OUT, "no_state_dict.pth"))

    expected = OrderedDict((k, expected_entry(v)) for k, v in sd.items())
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    # Self-check: torch reads back what we describe.
    for name in ("state_dict_zip.pth", "state_dict_legacy.pth"):
        back = torch.load(os.path.join(OUT, name))
        assert list(back.keys()) == list(expected.keys()), name
        for k, v in back.items():
            assert expected_entry(v) == expected[k] or math.isnan(v.float().sum()), (name, k)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
