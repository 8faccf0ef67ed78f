"""Plain-PyTorch reference of the project's Attention-to-Scale wrapper (Chen et al., CVPR 2016)
as src/main/java/dev/danet/nn/MultiScaleModel.java and ScaleAttentionHead.java compute it, for
the training-step fixtures (tools/make_train_fixtures.py).

What the Java wrapper does, and so this module:
- one shared base network (tools/danet_reference.SegModel: pretrained.*, head.*, auxlayer.*)
  runs on the input resized bilinearly (align_corners=True) to round(H s) x round(W s) for each
  scale s, in the configured order (a size equal to the input's is the input itself);
- each scale's score maps at its own feature resolution (head outputs, then aux) are resized
  (align_corners=True) to the feature size of the scale-1 input;
- attention fusion: the scale-attention head reads each scale's layer4 output resized to that
  size, concatenated over the scales in scale order: 3x3 conv with bias, ReLU, 1x1 conv with
  bias to S logits, softmax over the scales (keys scale_attention.0.* and scale_attention.2.*);
  fused map of output i: g_i = sum_s w^s f^s_i;
- outputs at input resolution (align_corners=True): [g_0, f^{s1}_0, ..., f^{sS}_0, g_1, ...],
  i.e. the fused main map, each scale's main map, then the base network's other outputs
  (DANet's PAM and CAM maps, the aux head) fused with the same weights.
The state_dict keys are the base network's own plus scale_attention.*, as the Java model names
its parameters (the wrapper registers the base network without a prefix).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import danet_reference as ref


def scaled_side(side, scale):
    """Java's Math.max(1, Math.round(side * scale)): halves round up."""
    return max(1, int(math.floor(side * scale + 0.5)))


def feature_side(side, output_stride):
    """The backbone's output side: stem conv, max pool, layer2 (and layer3 at stride 16) each
    halve a side as (side - 1) // 2 + 1."""
    halvings = 3 if output_stride == 8 else 4
    for _ in range(halvings):
        side = (side - 1) // 2 + 1
    return side


def resize(x, size):
    if tuple(x.shape[2:]) == tuple(size):
        return x
    return F.interpolate(x, size=size, mode="bilinear", align_corners=True)


class ScaleAttentionModel(ref.SegModel):
    """The base SegModel plus the scale-attention head, run over several input scales."""

    def __init__(self, scales, depth=50, width=64, deep_stem=False, output_stride=8,
                 multi_grid=False, head="danet", aux=False, classes=19):
        super().__init__(depth, width, deep_stem, output_stride, multi_grid, head, aux, classes)
        self.scales = list(scales)
        self.output_stride = output_stride
        features = self.pretrained.c4_channels
        hidden = features // 4
        self.scale_attention = nn.Sequential(
            nn.Conv2d(features * len(self.scales), hidden, 3, padding=1, bias=True),
            nn.ReLU(),
            nn.Conv2d(hidden, len(self.scales), 1, bias=True))

    def base_scores(self, x):
        """One base pass at feature resolution: (score maps: head outputs then aux, layer4)."""
        c3, c4 = self.pretrained(x)
        scores = list(self.head(c4))
        if self.auxlayer is not None:
            scores.append(self.auxlayer(c3)[0])
        return scores, c4

    def forward(self, x):
        height, width = x.shape[2], x.shape[3]
        target = (feature_side(height, self.output_stride), feature_side(width, self.output_stride))
        per_scale = []
        features = []
        for s in self.scales:
            xs = resize(x, (scaled_side(height, s), scaled_side(width, s)))
            scores, c4 = self.base_scores(xs)
            per_scale.append([resize(o, target) for o in scores])
            features.append(resize(c4, target))
        weights = torch.softmax(self.scale_attention(torch.cat(features, 1)), 1)  # (B, S, h, w)

        def fuse(i):
            stacked = torch.stack([scores[i] for scores in per_scale], 1)  # (B, S, K, h, w)
            return (stacked * weights.unsqueeze(2)).sum(1)

        size = (height, width)
        outputs = [resize(fuse(0), size)]
        outputs += [resize(scores[0], size) for scores in per_scale]
        outputs += [resize(fuse(i), size) for i in range(1, len(per_scale[0]))]
        return outputs
