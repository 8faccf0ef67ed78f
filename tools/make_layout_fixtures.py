#!/usr/bin/python3
"""Writes the golden fixtures of the Java import tests for mmsegmentation's and torchvision's
checkpoint layouts (LayoutParityTest), and checks the torchvision layout against torchvision.

Run from the repository root (Debian's python3-torch and python3-torchvision work):

    /usr/bin/python3 tools/make_layout_fixtures.py [--out src/test/resources/fixtures/layouts]
    /usr/bin/python3 tools/make_layout_fixtures.py --check-torchvision   # no files written

Models come from tools/public_layouts.py at base width 4 (key names and structure as published,
channel counts scaled down); weights as tools/danet_reference.py randomises them (Kaiming-normal
convs, random BN affine and calibrated running statistics) with non-zero attention scales
(pam 0.7, cam -0.4). Per fixture <name>/:
  model.pth    float32 checkpoint: bare state dict, or {'meta': ..., 'state_dict': ...} with an
               mmseg 0.x meta (CLASSES, PALETTE, config text) or a 1.x one (dataset_meta, cfg)
  input.npy    float32 NCHW input, N(0, 1)
  out_<i>.npy  float64 outputs at input size: decode-head outputs, then the auxiliary head's
  config.json  what the Java side should infer (backbone, head, classes, aux, align_corners, ...)
               and torch's own float32-vs-float64 relative L2, for context

--full LAYOUT DEPTH HEAD DIR writes one full-width (64) model, e.g. `--full mmseg 101 danet /tmp/m`:
model.pth (mmseg: with a 0.x meta), input.npy (1x3x512x512 unless --size), ref_out.npy (float64
main output) and ref_out_f32.npy, for a manual check with `./danet forward` and compare_npy.py.

--check-torchvision builds this file's torchvision FCN at the published width (64) for
ResNet-50 and -101 and compares it with torchvision.models.segmentation.fcn_resnet50/101: the
same state_dict keys and shapes, and the same outputs once the weights are copied across.
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
import public_layouts as pub  # noqa: E402

CLASSES = ["road", "building", "sky", "person", "car"]
PALETTE = [[128, 64, 128], [70, 70, 70], [70, 130, 180], [220, 20, 60], [0, 0, 142]]

CONFIG_0X = """norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='EncoderDecoder',
    pretrained='open-mmlab://resnet{depth}_v1c',
    backbone=dict(type='ResNetV1c', depth={depth}, num_stages=4, out_indices=(0, 1, 2, 3),
        dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1), norm_cfg=norm_cfg, norm_eval=False,
        style='pytorch', contract_dilation=True),
    decode_head=dict(type='{head_type}', in_channels=2048, in_index=3, channels=512,
        dropout_ratio=0.1, num_classes=5, norm_cfg=norm_cfg, align_corners={align},
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    auxiliary_head=dict(type='FCNHead', in_channels=1024, in_index=2, channels=256, num_convs=1,
        concat_input=False, dropout_ratio=0.1, num_classes=5, norm_cfg=norm_cfg,
        align_corners={align},
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=0.4)),
    train_cfg=dict(),
    test_cfg={test_cfg})
img_norm_cfg = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MultiScaleFlipAug', img_scale=(2048, 1024), flip=False,
        transforms=[
            dict(type='Resize', keep_ratio=True),
            dict(type='RandomFlip'),
            dict(type='Normalize', **img_norm_cfg),
            dict(type='ImageToTensor', keys=['img']),
            dict(type='Collect', keys=['img'])
        ])
]
"""

CONFIG_1X = """data_preprocessor = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=(769, 769))
model = dict(
    type='EncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='ResNetV1c', depth={depth}, dilations=(1, 1, 2, 4), strides=(1, 2, 1, 1),
        contract_dilation=True),
    decode_head=dict(type='{head_type}', in_channels=2048, in_index=3, channels=512,
        dropout_ratio=0.1, num_classes=5, align_corners={align}),
    train_cfg=dict(),
    test_cfg={test_cfg})
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 1024), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label={reduce}),
    dict(type='PackSegInputs')
]
"""

WHOLE = "dict(mode='whole')"
SLIDE = "dict(mode='slide', crop_size=(769, 769), stride=(513, 513))"

# meta: None (bare state dict), "0.x" or "1.x"; test: what the meta's config says.
FIXTURES = [
    dict(name="mmseg_danet_r50", seed=3001, layout="mmseg", backbone="resnet50", head="danet",
         aux=True, align_corners=False, meta="0.x", test=WHOLE, reduce=False, format="legacy",
         input_shape=[1, 3, 40, 56]),
    dict(name="mmseg_danet_r101", seed=3002, layout="mmseg", backbone="resnet101", head="danet",
         aux=True, align_corners=True, meta="1.x", test=SLIDE, reduce=True, format="zip",
         input_shape=[1, 3, 48, 40]),
    dict(name="mmseg_danet_r50_bare", seed=3003, layout="mmseg", backbone="resnet50", head="danet",
         aux=False, align_corners=False, meta=None, test=None, reduce=False, format="zip",
         input_shape=[1, 3, 40, 40]),
    dict(name="mmseg_fcn_r50", seed=3004, layout="mmseg", backbone="resnet50", head="fcn",
         aux=True, align_corners=False, meta=None, test=None, reduce=False, format="zip",
         input_shape=[1, 3, 40, 48]),
    dict(name="mmseg_fcn_r101", seed=3005, layout="mmseg", backbone="resnet101", head="fcn",
         aux=False, align_corners=True, meta="0.x", test=SLIDE, reduce=False, format="legacy",
         input_shape=[1, 3, 48, 48]),
    dict(name="torchvision_fcn_r50", seed=3006, layout="torchvision", backbone="resnet50",
         head="fcn", aux=True, align_corners=False, meta=None, test=None, reduce=False,
         format="zip", input_shape=[1, 3, 40, 48]),
]
WIDTH = 4
CALIB_BATCHES = 3
GAMMAS = (0.7, -0.4)


def build(spec):
    depth = int(spec["backbone"].replace("resnet", ""))
    if spec["layout"] == "mmseg":
        model = pub.MmsegSegmentor(depth, WIDTH, spec["head"], len(CLASSES), spec["aux"],
                                   spec["align_corners"])
    else:
        model = pub.TorchvisionFCN(depth, WIDTH, len(CLASSES), spec["aux"])
    ref.randomize(model, spec["seed"])
    with torch.no_grad():
        for scale, value in zip(model.attention_scales(), GAMMAS):
            scale.fill_(value)
    n, c, h, w = spec["input_shape"]
    return ref.calibrate(model, [2, c, h, w], CALIB_BATCHES, spec["seed"] + 1)


def meta(spec):
    if spec["meta"] is None:
        return None
    head_type = "DAHead" if spec["head"] == "danet" else "FCNHead"
    fields = dict(depth=spec["backbone"].replace("resnet", ""), head_type=head_type,
                  align=str(spec["align_corners"]), test_cfg=spec["test"], reduce=str(spec["reduce"]))
    if spec["meta"] == "0.x":
        return {"mmseg_version": "0.30.0", "config": CONFIG_0X.format(**fields),
                "CLASSES": tuple(CLASSES), "PALETTE": PALETTE, "iter": 40000}
    return {"cfg": CONFIG_1X.format(**fields), "seed": 0,
            "dataset_meta": {"classes": tuple(CLASSES), "palette": PALETTE}}


def save(obj, path, fmt):
    if fmt == "zip":
        torch.save(obj, path)
    else:
        torch.save(obj, path, _use_new_zipfile_serialization=False)


def rel_l2(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def make_fixture(spec, root):
    folder = os.path.join(root, spec["name"])
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    model = build(spec)
    state = model.state_dict()
    m = meta(spec)
    save(state if m is None else {"meta": m, "state_dict": state}, os.path.join(folder, "model.pth"),
         spec["format"])
    g = torch.Generator().manual_seed(spec["seed"] + 7)
    x = torch.randn(spec["input_shape"], generator=g, dtype=torch.float32)
    np.save(os.path.join(folder, "input.npy"), x.numpy())
    with torch.no_grad():
        outs32 = model(x)
        outs64 = copy.deepcopy(model).double()(x.double())
    for i, o in enumerate(outs64):
        np.save(os.path.join(folder, "out_%d.npy" % i), o.numpy())
    config = {k: spec[k] for k in ("layout", "backbone", "head", "aux", "align_corners", "format")}
    config.update(classes=len(CLASSES), width=WIDTH, meta=spec["meta"], outputs=len(outs64),
                  class_names=CLASSES if spec["meta"] else None,
                  sliding=spec["test"] == SLIDE, reduce_zero_label=spec["reduce"],
                  torch_version=torch.__version__,
                  float32_vs_float64_rel_l2=rel_l2(outs32[0], outs64[0]))
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    print("%-22s %7d params, %d outputs, torch f32 vs f64 %.2e" % (
        spec["name"], sum(p.numel() for p in model.parameters()), len(outs64),
        config["float32_vs_float64_rel_l2"]))


def check_torchvision():
    from torchvision.models.segmentation import fcn_resnet50, fcn_resnet101
    torch.set_num_threads(2)
    for depth, factory in ((50, fcn_resnet50), (101, fcn_resnet101)):
        theirs = factory(weights=None, weights_backbone=None, num_classes=21, aux_loss=True).eval()
        ours = pub.TorchvisionFCN(depth, 64, 21, aux=True)
        ref.randomize(ours, 10 + depth)
        ref.calibrate(ours, [1, 3, 64, 64], 2, 20 + depth)
        a, b = ours.state_dict(), theirs.state_dict()
        assert list(a) == list(b), "key lists differ: %s" % sorted(set(a) ^ set(b))[:10]
        for k in a:
            assert a[k].shape == b[k].shape, "%s: %s vs %s" % (k, a[k].shape, b[k].shape)
        theirs.load_state_dict(a)
        x = torch.randn(1, 3, 97, 75, generator=torch.Generator().manual_seed(depth))
        with torch.no_grad():
            mine = ours(x)
            official = theirs(x)
        errors = [rel_l2(mine[0], official["out"]), rel_l2(mine[1], official["aux"])]
        print("torchvision fcn_resnet%d: %d keys identical in name, order and shape; outputs rel L2 %s"
              % (depth, len(a), ", ".join("%.1e" % e for e in errors)))
        assert max(errors) < 1e-5


def full(layout, depth, head, folder, size):
    os.makedirs(folder, exist_ok=True)
    spec = dict(layout=layout, backbone="resnet%d" % depth, head=head, aux=True, align_corners=False,
                seed=5000 + depth, input_shape=[1, 3] + size, meta="0.x" if layout == "mmseg" else None,
                test=WHOLE, reduce=False)
    global WIDTH
    WIDTH = 64
    model = build(spec)
    m = meta(spec)
    torch.save(model.state_dict() if m is None else {"meta": m, "state_dict": model.state_dict()},
               os.path.join(folder, "model.pth"))
    x = torch.randn(spec["input_shape"], generator=torch.Generator().manual_seed(7))
    np.save(os.path.join(folder, "input.npy"), x.numpy())
    with torch.no_grad():
        out32 = model(x)[0]
        out64 = copy.deepcopy(model).double()(x.double())[0]
    np.save(os.path.join(folder, "ref_out.npy"), out64.numpy())
    np.save(os.path.join(folder, "ref_out_f32.npy"), out32.numpy())
    print("%s %s-R%d at width 64: %d parameters; torch float32 vs float64 rel L2 %.2e" % (
        layout, head, depth, sum(p.numel() for p in model.parameters()), rel_l2(out32, out64)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "src", "test", "resources", "fixtures", "layouts")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=default_out)
    ap.add_argument("--check-torchvision", action="store_true")
    ap.add_argument("--full", nargs=4, metavar=("LAYOUT", "DEPTH", "HEAD", "DIR"))
    ap.add_argument("--size", type=int, nargs=2, default=[512, 512])
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.full:
        layout, depth, head, folder = args.full
        full(layout, int(depth), head, folder, args.size)
        return
    if args.check_torchvision:
        check_torchvision()
        return
    for spec in FIXTURES:
        make_fixture(spec, args.out)
    print("wrote fixtures to %s" % args.out)


if __name__ == "__main__":
    main()
