"""Plain-PyTorch reference implementation of DANet (Fu et al., CVPR 2019) used to
produce golden fixtures for the Java parity tests.

This module is shared by ``make_parity_fixtures.py`` (small committed fixtures) and
``full_parity.py`` (manual full-size check).  It is written from the paper's description
and the layout notes in /work/shared/REFERENCE.md; the state_dict key layout matches the
reference checkpoints:

    pretrained.<torchvision ResNet key>     backbone (no fc)
    head.<conv5a|conv5c|sa|sc|conv51|conv52|conv6|conv7|conv8>.*   ('danet' head)
    head.conv5.*                            ('fcn' head)
    auxlayer.conv5.*                        optional FCN auxiliary head on layer3

Everything here is plain torch.nn; ReLUs are not in-place so intermediates can be kept.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------------------------------
# Backbone
# ---------------------------------------------------------------------------------------


def conv3x3(cin, cout, stride=1, dilation=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation,
                     bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride, dilation)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = conv3x3(planes, planes, 1, dilation)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride, dilation)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + identity)


RESNET_SPECS = {
    18: (BasicBlock, [2, 2, 2, 2]),
    34: (BasicBlock, [3, 4, 6, 3]),
    50: (Bottleneck, [3, 4, 6, 3]),
    101: (Bottleneck, [3, 4, 23, 3]),
    152: (Bottleneck, [3, 8, 36, 3]),
}


def layer_dilations(output_stride, multi_grid, n3, n4):
    """Returns (stride3, dilations3, stride4, dilations4) for layer3 / layer4."""
    if output_stride == 8:
        s3, d3 = 1, [1] + [2] * (n3 - 1)
        base4, first4 = 4, 2
    elif output_stride == 16:
        s3, d3 = 2, [1] * n3
        base4, first4 = 2, 1
    else:
        raise ValueError("output_stride must be 8 or 16, got %r" % (output_stride,))
    if multi_grid:
        if n4 != 3:
            raise ValueError("multi_grid needs exactly 3 blocks in layer4, got %d" % n4)
        d4 = [base4 * g for g in (1, 2, 4)]
    else:
        d4 = [first4] + [base4] * (n4 - 1)
    return s3, d3, 1, d4


class ResNet(nn.Module):
    """torchvision-layout ResNet returning (c3, c4); no avgpool / fc."""

    def __init__(self, depth=50, width=64, deep_stem=False, output_stride=8,
                 multi_grid=False):
        super().__init__()
        block, counts = RESNET_SPECS[depth]
        w = width
        if deep_stem:
            self.conv1 = nn.Sequential(
                conv3x3(3, w, 2), nn.BatchNorm2d(w), nn.ReLU(),
                conv3x3(w, w), nn.BatchNorm2d(w), nn.ReLU(),
                conv3x3(w, 2 * w))
            self.bn1 = nn.BatchNorm2d(2 * w)
            self.inplanes = 2 * w
        else:
            self.conv1 = nn.Conv2d(3, w, 7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(w)
            self.inplanes = w
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)

        s3, d3, s4, d4 = layer_dilations(output_stride, multi_grid, counts[2], counts[3])
        self.block_dilations = {1: [1] * counts[0], 2: [1] * counts[1], 3: d3, 4: d4}
        self.layer1 = self._make_layer(block, w, 1, [1] * counts[0])
        self.layer2 = self._make_layer(block, 2 * w, 2, [1] * counts[1])
        self.layer3 = self._make_layer(block, 4 * w, s3, d3)
        self.layer4 = self._make_layer(block, 8 * w, s4, d4)
        self.c3_channels = 4 * w * block.expansion
        self.c4_channels = 8 * w * block.expansion

    def _make_layer(self, block, planes, stride, dilations):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride=stride,
                          bias=False),
                nn.BatchNorm2d(planes * block.expansion))
        blocks = [block(self.inplanes, planes, stride, dilations[0], downsample)]
        self.inplanes = planes * block.expansion
        for d in dilations[1:]:
            blocks.append(block(self.inplanes, planes, 1, d))
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.layer2(x)
        c3 = self.layer3(x)
        c4 = self.layer4(c3)
        return c3, c4


# ---------------------------------------------------------------------------------------
# Attention modules and heads
# ---------------------------------------------------------------------------------------


class PAM(nn.Module):
    """Position attention module."""

    def __init__(self, channels):
        super().__init__()
        self.query_conv = nn.Conv2d(channels, channels // 8, 1)
        self.key_conv = nn.Conv2d(channels, channels // 8, 1)
        self.value_conv = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        b, c, h, w = x.shape
        n = h * w
        q = self.query_conv(x).reshape(b, -1, n).permute(0, 2, 1)   # (B, N, C/8)
        k = self.key_conv(x).reshape(b, -1, n)                      # (B, C/8, N)
        attn = torch.softmax(torch.bmm(q, k), dim=-1)               # (B, N, N)
        v = self.value_conv(x).reshape(b, -1, n)                    # (B, C, N)
        out = torch.bmm(v, attn.permute(0, 2, 1)).reshape(b, c, h, w)
        return self.gamma * out + x


class CAM(nn.Module):
    """Channel attention module (max - energy variant of the reference)."""

    def __init__(self, channels):
        super().__init__()
        self.channels = channels
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        b, c, h, w = x.shape
        a = x.reshape(b, c, -1)                                      # (B, C, N)
        energy = torch.bmm(a, a.permute(0, 2, 1))                    # (B, C, C)
        energy_new = torch.max(energy, -1, keepdim=True)[0].expand_as(energy) - energy
        attn = torch.softmax(energy_new, dim=-1)
        out = torch.bmm(attn, a).reshape(b, c, h, w)
        return self.gamma * out + x


def conv_bn_relu(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


def classifier(cin, classes):
    return nn.Sequential(nn.Dropout2d(0.1), nn.Conv2d(cin, classes, 1))


class DANetHead(nn.Module):
    """mode: 'danet' (PAM + CAM, three outputs), 'pam' or 'cam' (one output)."""

    def __init__(self, in_channels, classes, mode="danet"):
        super().__init__()
        inter = in_channels // 4
        self.mode = mode
        use_pam = mode in ("danet", "pam")
        use_cam = mode in ("danet", "cam")
        # registration order matters only for state_dict ordering; follow the reference.
        if use_pam:
            self.conv5a = conv_bn_relu(in_channels, inter)
        if use_cam:
            self.conv5c = conv_bn_relu(in_channels, inter)
        if use_pam:
            self.sa = PAM(inter)
        if use_cam:
            self.sc = CAM(inter)
        if use_pam:
            self.conv51 = conv_bn_relu(inter, inter)
        if use_cam:
            self.conv52 = conv_bn_relu(inter, inter)
        if use_pam:
            self.conv6 = classifier(inter, classes)
        if use_cam:
            self.conv7 = classifier(inter, classes)
        if mode == "danet":
            self.conv8 = classifier(inter, classes)

    def forward(self, x, taps=None):
        outs = []
        if self.mode in ("danet", "pam"):
            pam_in = self.conv5a(x)
            pam_out = self.sa(pam_in)
            sa_feat = self.conv51(pam_out)
            if taps is not None:
                taps["pam_in"], taps["pam_out"] = pam_in, pam_out
        if self.mode in ("danet", "cam"):
            cam_in = self.conv5c(x)
            cam_out = self.sc(cam_in)
            sc_feat = self.conv52(cam_out)
            if taps is not None:
                taps["cam_in"], taps["cam_out"] = cam_in, cam_out
        if self.mode == "danet":
            outs = [self.conv8(sa_feat + sc_feat), self.conv6(sa_feat), self.conv7(sc_feat)]
        elif self.mode == "pam":
            outs = [self.conv6(sa_feat)]
        else:
            outs = [self.conv7(sc_feat)]
        return outs


class FCNHead(nn.Module):
    def __init__(self, in_channels, classes):
        super().__init__()
        inter = in_channels // 4
        self.conv5 = nn.Sequential(
            nn.Conv2d(in_channels, inter, 3, padding=1, bias=False),
            nn.BatchNorm2d(inter), nn.ReLU(), nn.Dropout2d(0.1),
            nn.Conv2d(inter, classes, 1))

    def forward(self, x, taps=None):
        return [self.conv5(x)]


class SegModel(nn.Module):
    """Backbone ``pretrained`` + ``head`` (+ optional ``auxlayer`` on c3)."""

    def __init__(self, depth=50, width=64, deep_stem=False, output_stride=8,
                 multi_grid=False, head="danet", aux=False, classes=19):
        super().__init__()
        self.pretrained = ResNet(depth, width, deep_stem, output_stride, multi_grid)
        c3, c4 = self.pretrained.c3_channels, self.pretrained.c4_channels
        if head == "fcn":
            self.head = FCNHead(c4, classes)
        elif head in ("danet", "pam", "cam"):
            self.head = DANetHead(c4, classes, head)
        else:
            raise ValueError("unknown head %r" % (head,))
        self.auxlayer = FCNHead(c3, classes) if aux else None

    def forward_taps(self, x):
        """Returns (final outputs, dict of intermediate tensors)."""
        taps = {}
        c3, c4 = self.pretrained(x)
        taps["c3"], taps["c4"] = c3, c4
        head_outs = self.head(c4, taps)
        taps["head_out"] = head_outs
        raw = list(head_outs)
        if self.auxlayer is not None:
            aux = self.auxlayer(c3)[0]
            taps["aux_out"] = aux
            raw.append(aux)
        size = x.shape[2:]
        outs = [F.interpolate(o, size=size, mode="bilinear", align_corners=True) for o in raw]
        return outs, taps

    def forward(self, x):
        return self.forward_taps(x)[0]


# ---------------------------------------------------------------------------------------
# Random, well-conditioned weights
# ---------------------------------------------------------------------------------------

ATTENTION_SCALARS = {"sa": 0.7, "sc": -0.4}


def randomize(model, seed):
    """Kaiming-normal (fan_out, relu) conv weights, small random conv biases,
    BN affine weight ~ U(0.5, 1.5), bias ~ N(0, 0.1); non-zero attention scalars.
    Running statistics are reset (calibrate() fills them)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.out_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
                std = (2.0 / fan_out) ** 0.5
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * std)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.05)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
                m.reset_running_stats()
        head = getattr(model, "head", None)
        if head is not None:
            for name, value in ATTENTION_SCALARS.items():
                mod = getattr(head, name, None)
                if mod is not None:
                    mod.gamma.fill_(value)


def calibrate(model, input_shape, batches, seed):
    """Fills BN running stats with the cumulative average (momentum=None) over
    ``batches`` random-normal batches run in train mode (dropout kept off), then
    restores momentum 0.1 and puts the model in eval mode."""
    g = torch.Generator().manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None
    model.train()
    for m in model.modules():
        if isinstance(m, (nn.Dropout, nn.Dropout2d)):
            m.eval()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(input_shape, generator=g))
    for bn in bns:
        bn.momentum = 0.1
    model.eval()
    return model


def build(config, seed, calib_shape, calib_batches):
    depth = int(str(config["backbone"]).replace("resnet", ""))
    model = SegModel(depth=depth, width=config["width"], deep_stem=config["deep_stem"],
                     output_stride=config["output_stride"],
                     multi_grid=config["multi_grid"], head=config["head"],
                     aux=config["aux"], classes=config["classes"])
    randomize(model, seed)
    calibrate(model, calib_shape, calib_batches, seed + 1)
    return model


def save_checkpoint(state_dict, path, fmt="zip", wrapped=False):
    obj = {"epoch": 1, "state_dict": state_dict, "best_pred": 0.0} if wrapped else state_dict
    if fmt == "zip":
        torch.save(obj, path)
    elif fmt == "legacy":
        torch.save(obj, path, _use_new_zipfile_serialization=False)
    else:
        raise ValueError("format must be 'zip' or 'legacy'")
