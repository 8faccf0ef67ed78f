#!/usr/bin/python3
"""Writes the training-step fixtures read by src/test/java/dev/danet/train/TrainingStepParityTest.

Run from the repository root (needs PyTorch; Debian's python3-torch 1.13 works):

    /usr/bin/python3 tools/make_train_fixtures.py [--out src/test/resources/fixtures/train]

Deterministic (fixed seeds, 2 CPU threads); the output is committed, so this only has to run
again when the fixtures change. Each case builds a tiny model in the reference layout
(tools/danet_reference.py; the Attention-to-Scale wrapper in tools/scale_attention_reference.py),
initialised as the forward-parity fixtures are (Kaiming-normal convolutions, random batch-norm
affine parameters, calibrated running statistics, PAM gamma 0.7 and CAM gamma -0.4), with PAM's
query projection scaled down so that the attention rows are smooth rather than one-hot. It then
runs three training steps of the project's recipe (TrainConfig / Trainer / Sgd) on one fixed
batch, in float64 (the reference) and in float32 (for context):

- loss: cross-entropy with ignore index 255 on every output, summed with the case's weights in
  the model's output order (DANet: fused, PAM, CAM; the aux head; multi-scale: the fused map,
  each scale's map, the other outputs fused over the scales), weights of 0 left out of the sum;
- SGD as torch.optim.SGD: momentum 0.9, weight decay 1e-4 on every parameter, the learning rate
  base * (1 - iteration / iterations) ** 0.9 at iterations 0, 1, 2, everything outside
  pretrained.* at 10x; torch.nn.utils.clip_grad_norm_ first when the case sets a clip;
- dropout: every Dropout2d replays a keep mask of shape (N, C, 1, 1) drawn from a generator
  seeded per step (Bernoulli(0.9), with one channel dropped when a draw keeps them all, so that
  every mask drops something); the output is x * (mask / (1 - p)), torch's own formula. The
  masks are saved so that the Java run uses the same ones.

For each case it writes src/test/resources/fixtures/train/<case>/:
  model.pth            the initial weights, float32, bare state dict (zip)
  input.npy            (N, 3, H, W) float32 batch, N(0, 1)
  labels.npy           (N, H, W) uint8 labels in [0, classes) with 255 (ignore) pixels
  dropout_step<k>.npy  float64 0/1 keep masks of step k (1-based), flattened in call order;
                       config.json lists their shapes
  grads_step1.npy      float64: every trainable parameter's gradient at step 1 (before any
                       clipping), flattened and concatenated in config.json's "parameters" order
  state_step1.npy, state_step3.npy
                       float64: every trainable parameter after step 1 / step 3, then every
                       batch-norm running_mean / running_var ("buffers" order)
  config.json          model, recipe, each output's loss weight, layouts, and per step the lr,
                       each output's cross-entropy, the weighted total and the gradient norm
                       (float64); the parameters whose gradient is zero in exact arithmetic;
                       PyTorch's own float32-vs-float64 relative L2 error of every compared
                       quantity (the Java test's float32 bound where that exceeds 1e-5)
"""

import argparse
import copy
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import danet_reference as ref  # noqa: E402
import scale_attention_reference as a2s  # noqa: E402

IGNORE = 255
DROPOUT = 0.1
STEPS = 3
QUERY_SCALE = 0.1
RECIPE = dict(iterations=20, head_lr_multiplier=10.0, momentum=0.9, weight_decay=1e-4, power=0.9)

CASES = [
    dict(name="danet_r18_w4_aux", seed=3001, backbone="resnet18", width=4, deep_stem=False,
         output_stride=8, multi_grid=False, head="danet", aux=True, classes=4,
         input_shape=[2, 3, 48, 40], base_lr=0.003, loss_weights=[1.0, 1.0, 1.0], aux_weight=0.4,
         max_grad_norm=1.0),
    # At 80x64 PAM has 10 x 8 = 80 positions: the Java test also runs it in row blocks.
    dict(name="pam_r18_w4", seed=3002, backbone="resnet18", width=4, deep_stem=False,
         output_stride=8, multi_grid=False, head="pam", aux=False, classes=3,
         input_shape=[2, 3, 80, 64], base_lr=0.01, loss_weights=[1.0], aux_weight=0.4,
         max_grad_norm=0.0),
    dict(name="cam_r18_w2", seed=3003, backbone="resnet18", width=2, deep_stem=False,
         output_stride=8, multi_grid=False, head="cam", aux=False, classes=4,
         input_shape=[2, 3, 48, 48], base_lr=0.01, loss_weights=[1.0], aux_weight=0.4,
         max_grad_norm=0.0),
    dict(name="fcn_r18_w2", seed=3004, backbone="resnet18", width=2, deep_stem=False,
         output_stride=8, multi_grid=False, head="fcn", aux=False, classes=3,
         input_shape=[2, 3, 40, 48], base_lr=0.01, loss_weights=[1.0], aux_weight=0.4,
         max_grad_norm=0.0),
    dict(name="fcn_r18_w2_aux_deepstem", seed=3005, backbone="resnet18", width=2, deep_stem=True,
         output_stride=16, multi_grid=False, head="fcn", aux=True, classes=3,
         input_shape=[2, 3, 64, 48], base_lr=0.01, loss_weights=[1.0], aux_weight=0.4,
         max_grad_norm=0.0),
    dict(name="scales_cam_r18_w2_aux", seed=3006, backbone="resnet18", width=2, deep_stem=False,
         output_stride=8, multi_grid=False, head="cam", aux=True, classes=3,
         input_shape=[2, 3, 48, 40], base_lr=0.01, loss_weights=[1.0], aux_weight=0.4,
         max_grad_norm=2.0, scales=[1.0, 0.75, 0.5], fusion="attention", scale_loss_weights=None),
]

MODEL_KEYS = ["backbone", "width", "deep_stem", "output_stride", "multi_grid", "head", "aux",
              "classes"]


class MaskFeed:
    """Hands out the dropout keep masks of one step, in call order, and keeps them."""

    def __init__(self, probability):
        self.probability = probability
        self.generator = None
        self.masks = []

    def start(self, seed):
        self.generator = torch.Generator().manual_seed(seed)
        self.masks = []

    def next(self, shape):
        keep = torch.bernoulli(torch.full(shape, 1 - self.probability, dtype=torch.float64),
                               generator=self.generator)
        if bool(keep.all()):
            keep.view(-1)[len(self.masks) % keep.numel()] = 0
        self.masks.append(keep)
        return keep


class ReplayDropout2d(nn.Module):
    """torch's Dropout2d (x * bernoulli(1 - p) / (1 - p) per sample and channel) with the
    Bernoulli draw taken from a MaskFeed."""

    def __init__(self, probability, feed):
        super().__init__()
        self.p = probability
        self.feed = feed

    def forward(self, x):
        if not self.training:
            return x
        keep = self.feed.next((x.shape[0], x.shape[1], 1, 1))
        return x * keep.to(x.dtype, copy=True).div_(1 - self.p)


def replace_dropout(module, feed):
    for name, child in module.named_children():
        if isinstance(child, nn.Dropout2d):
            setattr(module, name, ReplayDropout2d(child.p, feed))
        else:
            replace_dropout(child, feed)


def build(spec):
    depth = int(spec["backbone"].replace("resnet", ""))
    args = dict(depth=depth, width=spec["width"], deep_stem=spec["deep_stem"],
                output_stride=spec["output_stride"], multi_grid=spec["multi_grid"],
                head=spec["head"], aux=spec["aux"], classes=spec["classes"])
    if spec.get("scales"):
        model = a2s.ScaleAttentionModel(spec["scales"], **args)
    else:
        model = ref.SegModel(**args)
    ref.randomize(model, spec["seed"])
    with torch.no_grad():
        sa = getattr(model.head, "sa", None)
        if sa is not None:
            sa.query_conv.weight.mul_(QUERY_SCALE)
    n, c, h, w = spec["input_shape"]
    ref.calibrate(model, [n, c, h, w], 3, spec["seed"] + 1)
    return model


def make_batch(spec):
    g = torch.Generator().manual_seed(spec["seed"] + 7)
    n, _, h, w = spec["input_shape"]
    images = torch.randn(spec["input_shape"], generator=g, dtype=torch.float32)
    labels = torch.randint(0, spec["classes"], (n, h, w), generator=g, dtype=torch.int64)
    ignore = torch.rand((n, h, w), generator=g) < 0.15
    labels[ignore] = IGNORE
    labels[:, : h // 6, : w // 4] = IGNORE  # an ignored block as crops padded with ignore have
    return images, labels


def output_weights(spec, output_count):
    """TrainConfig.outputWeights: [main, each scale, other head outputs, aux]."""
    heads = {"danet": 3, "pam": 1, "cam": 1, "fcn": 1}[spec["head"]]
    scales = len(spec["scales"]) if spec.get("scales") else 0
    loss_weights = spec["loss_weights"]
    weights = [0.0] * (heads + scales + (1 if spec["aux"] else 0))
    weights[0] = loss_weights[0] if loss_weights else 1.0
    for s in range(scales):
        sw = spec.get("scale_loss_weights")
        if sw is None:
            weights[1 + s] = 1.0 if spec["fusion"] == "attention" else 0.0
        else:
            weights[1 + s] = sw[0] if len(sw) == 1 else sw[s]
    for i in range(1, heads):
        weights[scales + i] = loss_weights[i] if i < len(loss_weights) else 1.0
    if spec["aux"]:
        weights[heads + scales] = spec["aux_weight"]
    if len(weights) != output_count:
        raise RuntimeError("%s: %d loss weights for %d outputs" % (spec["name"], len(weights),
                                                                    output_count))
    return weights


def poly(spec, iteration):
    progress = min(1.0, iteration / RECIPE["iterations"])
    return spec["base_lr"] * (1 - progress) ** RECIPE["power"]


def train(spec, model, images, labels, dtype):
    """Three steps of the project's recipe in the given precision: per step the lr, the loss
    terms, the total and the gradient norm; the step-1 gradients; the parameters and running
    statistics after steps 1 and 3; the dropout masks; the layouts."""
    model = copy.deepcopy(model).to(dtype)
    feed = MaskFeed(DROPOUT)
    replace_dropout(model, feed)
    model.train()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    backbone = [p for n, p in named if n.startswith("pretrained.")]
    head = [p for n, p in named if not n.startswith("pretrained.")]
    optimizer = torch.optim.SGD(
        [{"params": backbone}, {"params": head}], lr=spec["base_lr"], momentum=RECIPE["momentum"],
        weight_decay=RECIPE["weight_decay"])
    buffers = [(n, b) for n, b in model.named_buffers() if n.endswith(("running_mean", "running_var"))]
    x = images.to(dtype)
    result = {"steps": [], "masks": [], "grads": None, "states": {}}
    for iteration in range(STEPS):
        lr = poly(spec, iteration)
        optimizer.param_groups[0]["lr"] = lr
        optimizer.param_groups[1]["lr"] = lr * RECIPE["head_lr_multiplier"]
        feed.start(spec["seed"] * 100 + iteration)
        optimizer.zero_grad(set_to_none=False)
        outputs = model(x)
        weights = output_weights(spec, len(outputs))
        terms = [F.cross_entropy(o, labels, ignore_index=IGNORE) for o in outputs]
        total = None
        for w, t in zip(weights, terms):
            if w != 0:
                total = t * w if total is None else total + t * w
        total.backward()
        if iteration == 0:
            result["grads"] = [p.grad.detach().clone() for _, p in named]
        grads = [p.grad for _, p in named]
        if spec["max_grad_norm"] > 0:
            norm = nn.utils.clip_grad_norm_([p for _, p in named], spec["max_grad_norm"])
        else:
            norm = torch.norm(torch.stack([torch.norm(g.detach(), 2) for g in grads]), 2)
        optimizer.step()
        result["steps"].append({"lr": lr, "total": float(total), "terms": [float(t) for t in terms],
                                "grad_norm": float(norm)})
        result["output_loss_weights"] = weights
        result["masks"].append([m.clone() for m in feed.masks])
        if iteration + 1 in (1, STEPS):
            result["states"][iteration + 1] = (
                [p.detach().clone() for _, p in named] + [b.detach().clone() for _, b in buffers])
    result["parameter_names"] = [n for n, _ in named]
    result["parameter_shapes"] = [list(p.shape) for _, p in named]
    result["buffer_names"] = [n for n, _ in buffers]
    result["buffer_shapes"] = [list(b.shape) for _, b in buffers]
    return result


def flat(tensors):
    return np.concatenate([t.detach().double().reshape(-1).numpy() for t in tensors])


def rel_l2(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def rounded(x):
    """A figure for context, to three significant digits."""
    return float("%.3g" % x)


def attention_peak(model, images):
    """Largest PAM attention weight per row, averaged (1/N smooth .. 1 one-hot), at scale 1."""
    sa = getattr(model.head, "sa", None)
    if sa is None:
        return None
    taps = {}
    with torch.no_grad():
        m = copy.deepcopy(model).double().eval()
        c3, c4 = m.pretrained(images.double())
        m.head(c4, taps)
        x = taps["pam_in"]
        b, c, h, w = x.shape
        q = m.head.sa.query_conv(x).reshape(b, -1, h * w).permute(0, 2, 1)
        k = m.head.sa.key_conv(x).reshape(b, -1, h * w)
        s = torch.softmax(torch.bmm(q, k), -1)
    return float(s.max(-1)[0].mean()), h * w


def make_case(spec, out_root):
    folder = os.path.join(out_root, spec["name"])
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        if f.endswith(".npy") or f in ("model.pth", "config.json"):
            os.remove(os.path.join(folder, f))
    torch.manual_seed(spec["seed"])
    model = build(spec)
    sd = model.state_dict()
    ref.save_checkpoint(sd, os.path.join(folder, "model.pth"), "zip", False)
    images, labels = make_batch(spec)
    np.save(os.path.join(folder, "input.npy"), images.numpy())
    np.save(os.path.join(folder, "labels.npy"), labels.numpy().astype(np.uint8))

    r64 = train(spec, model, images, labels, torch.float64)
    r32 = train(spec, model, images, labels, torch.float32)
    for k in range(STEPS):
        for m64, m32 in zip(r64["masks"][k], r32["masks"][k]):
            if not torch.equal(m64, m32):
                raise RuntimeError("float32 and float64 runs drew different dropout masks")
        np.save(os.path.join(folder, "dropout_step%d.npy" % (k + 1)), flat(r64["masks"][k]))
    np.save(os.path.join(folder, "grads_step1.npy"), flat(r64["grads"]))
    for step, state in r64["states"].items():
        np.save(os.path.join(folder, "state_step%d.npy" % step), flat(state))

    nparams = len(r64["parameter_names"])
    state_names = r64["parameter_names"] + r64["buffer_names"]
    grad_norm = float(np.linalg.norm(flat(r64["grads"])))
    # A gradient that is zero in exact arithmetic (PAM's key bias: it shifts a whole softmax row)
    # is round-off on both sides; such entries are compared against the whole gradient's norm.
    zero_grads = [n for n, g in zip(r64["parameter_names"], r64["grads"])
                  if float(g.norm()) <= 1e-12 * grad_norm]

    def grad_error(name, a, b):
        scale = grad_norm if name in zero_grads else float(b.norm())
        return rounded(float((a.double() - b.double()).norm()) / scale)

    torch32 = {
        "grads": {n: grad_error(n, a, b) for n, a, b in
                  zip(r64["parameter_names"], r32["grads"], r64["grads"])},
        "state_step1": {n: rounded(rel_l2(flat([a]), flat([b]))) for n, a, b in
                        zip(state_names, r32["states"][1], r64["states"][1])},
        "state_step3": {n: rounded(rel_l2(flat([a]), flat([b]))) for n, a, b in
                        zip(state_names, r32["states"][STEPS], r64["states"][STEPS])},
        "losses": [[rounded(abs(a - b) / abs(b)) for a, b in zip(s32["terms"] + [s32["total"]],
                                                         s64["terms"] + [s64["total"]])]
                   for s32, s64 in zip(r32["steps"], r64["steps"])],
        "whole_gradient": rounded(rel_l2(flat(r32["grads"]), flat(r64["grads"]))),
        "grad_norms": [rounded(abs(s32["grad_norm"] - s64["grad_norm"]) / s64["grad_norm"])
                       for s32, s64 in zip(r32["steps"], r64["steps"])],
    }
    config = {k: spec[k] for k in MODEL_KEYS}
    if spec.get("scales"):
        config["scales"] = spec["scales"]
        config["fusion"] = spec["fusion"]
        config["scale_loss_weights"] = spec.get("scale_loss_weights")
    config["input_shape"] = spec["input_shape"]
    config["recipe"] = dict(RECIPE, base_lr=spec["base_lr"], loss_weights=spec["loss_weights"],
                            aux_weight=spec["aux_weight"], max_grad_norm=spec["max_grad_norm"])
    config["dropout"] = {"probability": DROPOUT,
                         "shapes": [[list(m.shape) for m in masks] for masks in r64["masks"]]}
    config["parameters"] = [{"name": n, "shape": s} for n, s in
                            zip(r64["parameter_names"], r64["parameter_shapes"])]
    config["buffers"] = [{"name": n, "shape": s} for n, s in
                         zip(r64["buffer_names"], r64["buffer_shapes"])]
    config["output_loss_weights"] = r64["output_loss_weights"]
    config["steps"] = r64["steps"]
    config["zero_gradients"] = zero_grads
    peak = attention_peak(model, images)
    if peak is not None:
        config["pam_positions"] = peak[1]
        config["pam_mean_row_max"] = peak[0]
    config["torch_float32_vs_float64"] = torch32
    config["torch_version"] = torch.__version__
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
        f.write("\n")

    print("== %s: %d parameters (%d values), %d buffers, input %s" % (
        spec["name"], nparams, sum(p.numel() for p in model.parameters()), len(r64["buffer_names"]),
        spec["input_shape"]))
    for k, s in enumerate(r64["steps"]):
        print("   step %d: lr %.5g, total %.6f, terms %s, grad norm %.4f%s" % (
            k + 1, s["lr"], s["total"], ", ".join("%.4f" % t for t in s["terms"]), s["grad_norm"],
            " (clipped to %g)" % spec["max_grad_norm"]
            if 0 < spec["max_grad_norm"] < s["grad_norm"] else ""))
    print("   dropped channels per step: %s" % [
        int(sum(float((1 - m).sum()) for m in masks)) for masks in r64["masks"]])
    if peak is not None:
        print("   PAM: %d positions, mean row max %.3f" % (peak[1], peak[0]))
    for key in ("grads", "state_step1", "state_step3"):
        worst = sorted(((e, n) for n, e in torch32[key].items()), reverse=True)
        print("   torch float32 vs float64, %s: worst %s; %d of %d within 1e-5" % (
            key, ", ".join("%s %.1e" % (n, e) for e, n in worst[:3]),
            sum(e <= 1e-5 for e, _ in worst), len(worst)))
    print("   torch float32 vs float64, losses: worst %.1e; gradient norms %s; whole gradient %.2e" % (
        max(max(l) for l in torch32["losses"]), torch32["grad_norms"], torch32["whole_gradient"]))
    if zero_grads:
        print("   zero in exact arithmetic: %s" % zero_grads)
    sizes = {f: os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder)}
    print("   files: %d KiB in all, largest %s %d KiB" % (
        sum(sizes.values()) // 1024, max(sizes, key=sizes.get), max(sizes.values()) // 1024))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "src", "test", "resources", "fixtures",
                               "train")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=default_out, help="fixture root folder")
    ap.add_argument("--only", nargs="*", help="case names to write (default: all)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    for spec in CASES:
        if not args.only or spec["name"] in args.only:
            make_case(spec, args.out)
    print("wrote fixtures to %s" % args.out)


if __name__ == "__main__":
    main()
