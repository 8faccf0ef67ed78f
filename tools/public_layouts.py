"""PyTorch modules laid out as mmsegmentation's and torchvision's segmentation checkpoints,
for the Java import parity fixtures (tools/make_layout_fixtures.py).

Written from the published structure (mmsegmentation's ResNetV1c, DAHead and FCNHead as
configured in configs/_base_/models/{danet,fcn}_r50-d8.py; torchvision's fcn_resnet50/101),
see shared/REFERENCE.md "Other public layouts". Widths scale with ``width`` (64 = published),
so tiny fixtures keep the key names and every structural choice:

mmseg (EncoderDecoder):
    backbone.stem.{0,1,3,4,6,7}        deep stem 3x3 convs to w/2, w/2, w, BN + ReLU after each
    backbone.layerN.M.{conv1,bn1,conv2,bn2,conv3,bn3,downsample.0,downsample.1}
                                        strides (1,2,1,1), dilations (1,1,2,4), first block of a
                                        dilated stage at half the rate (contract_dilation)
    decode_head (DAHead): pam_in_conv/cam_in_conv/pam_out_conv/cam_out_conv ConvModules
        (.conv no bias, .bn), pam.{query,key,value}_project (1x1, bias), pam.gamma.scale and
        cam.gamma.scale (0-dim), conv_seg / pam_conv_seg / cam_conv_seg after Dropout2d(0.1)
    decode_head (FCNHead, num_convs=2, concat_input=True): convs.{0,1}, conv_cat, conv_seg
    auxiliary_head (FCNHead, num_convs=1, concat_input=False): convs.0, conv_seg
    outputs resized to the input with the head's align_corners

torchvision (FCN):
    backbone.<torchvision ResNet names, no fc>, replace_stride_with_dilation=[False, True, True]
    classifier.{0 conv 3x3 no bias, 1 BN, 2 ReLU, 3 Dropout(0.1), 4 conv 1x1}
    aux_classifier.* the same on layer3; outputs resized with align_corners=False
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

import danet_reference as ref


class Scale(nn.Module):
    """mmcv's Scale: a learnable 0-dim multiplier."""

    def __init__(self, value=0.0):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(value, dtype=torch.float))

    def forward(self, x):
        return x * self.scale


class ConvModule(nn.Module):
    """mmcv's ConvModule with norm and ReLU: conv (no bias) -> bn -> relu."""

    def __init__(self, cin, cout, kernel=3):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, padding=kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.activate = nn.ReLU()

    def forward(self, x):
        return self.activate(self.bn(self.conv(x)))


class ResNetV1c(ref.ResNet):
    """ResNetV1c-D8: the reference ResNet's stages with the V1c deep stem under 'stem'."""

    def __init__(self, depth, width):
        super().__init__(depth, width, deep_stem=False, output_stride=8, multi_grid=False)
        del self.conv1, self.bn1
        half = width // 2
        self.stem = nn.Sequential(
            ref.conv3x3(3, half, 2), nn.BatchNorm2d(half), nn.ReLU(),
            ref.conv3x3(half, half), nn.BatchNorm2d(half), nn.ReLU(),
            ref.conv3x3(half, width), nn.BatchNorm2d(width), nn.ReLU())

    def forward(self, x):
        x = self.maxpool(self.stem(x))
        x = self.layer1(x)
        x = self.layer2(x)
        c3 = self.layer3(x)
        return c3, self.layer4(c3)


class PAM(nn.Module):
    """mmseg's PAM (a SelfAttentionBlock without norms, output projection or scaling)."""

    def __init__(self, channels, pam_channels):
        super().__init__()
        self.query_project = nn.Conv2d(channels, pam_channels, 1)
        self.key_project = nn.Conv2d(channels, pam_channels, 1)
        self.value_project = nn.Conv2d(channels, channels, 1)
        self.gamma = Scale(0)

    def forward(self, x):
        b, c, h, w = x.shape
        query = self.query_project(x).reshape(b, -1, h * w).permute(0, 2, 1)
        key = self.key_project(x).reshape(b, -1, h * w)
        value = self.value_project(x).reshape(b, c, h * w).permute(0, 2, 1)
        sim = F.softmax(torch.matmul(query, key), dim=-1)
        context = torch.matmul(sim, value).permute(0, 2, 1).reshape(b, c, h, w)
        return self.gamma(context) + x


class CAM(nn.Module):
    """mmseg's CAM: max-minus-energy softmax over the channel Gram matrix."""

    def __init__(self):
        super().__init__()
        self.gamma = Scale(0)

    def forward(self, x):
        b, c, h, w = x.shape
        a = x.view(b, c, -1)
        energy = torch.bmm(a, a.permute(0, 2, 1))
        energy_new = torch.max(energy, -1, keepdim=True)[0].expand_as(energy) - energy
        out = torch.bmm(F.softmax(energy_new, dim=-1), a).view(b, c, h, w)
        return self.gamma(out) + x


class DAHead(nn.Module):
    def __init__(self, cin, channels, classes):
        super().__init__()
        self.conv_seg = nn.Conv2d(channels, classes, 1)
        self.dropout = nn.Dropout2d(0.1)
        self.pam_in_conv = ConvModule(cin, channels)
        self.pam = PAM(channels, channels // 8)
        self.pam_out_conv = ConvModule(channels, channels)
        self.pam_conv_seg = nn.Conv2d(channels, classes, 1)
        self.cam_in_conv = ConvModule(cin, channels)
        self.cam = CAM()
        self.cam_out_conv = ConvModule(channels, channels)
        self.cam_conv_seg = nn.Conv2d(channels, classes, 1)

    def forward(self, x):
        pam = self.pam_out_conv(self.pam(self.pam_in_conv(x)))
        cam = self.cam_out_conv(self.cam(self.cam_in_conv(x)))
        fused = self.conv_seg(self.dropout(pam + cam))
        return [fused, self.pam_conv_seg(self.dropout(pam)), self.cam_conv_seg(self.dropout(cam))]


class FCNHead(nn.Module):
    def __init__(self, cin, channels, classes, num_convs, concat_input):
        super().__init__()
        self.conv_seg = nn.Conv2d(channels, classes, 1)
        self.dropout = nn.Dropout2d(0.1)
        convs = [ConvModule(cin, channels)] + [ConvModule(channels, channels) for _ in range(num_convs - 1)]
        self.convs = nn.Sequential(*convs)
        self.concat_input = concat_input
        if concat_input:
            self.conv_cat = ConvModule(cin + channels, channels)

    def forward(self, x):
        out = self.convs(x)
        if self.concat_input:
            out = self.conv_cat(torch.cat([x, out], dim=1))
        return [self.conv_seg(self.dropout(out))]


class MmsegSegmentor(nn.Module):
    """EncoderDecoder: backbone, decode_head (danet or fcn), optional auxiliary_head."""

    def __init__(self, depth, width, head, classes, aux, align_corners):
        super().__init__()
        self.backbone = ResNetV1c(depth, width)
        c3, c4 = self.backbone.c3_channels, self.backbone.c4_channels
        if head == "danet":
            self.decode_head = DAHead(c4, c4 // 4, classes)
        elif head == "fcn":
            self.decode_head = FCNHead(c4, c4 // 4, classes, num_convs=2, concat_input=True)
        else:
            raise ValueError(head)
        self.auxiliary_head = FCNHead(c3, c3 // 4, classes, 1, False) if aux else None
        self.align_corners = align_corners

    def forward(self, x):
        c3, c4 = self.backbone(x)
        raw = list(self.decode_head(c4))
        if self.auxiliary_head is not None:
            raw += self.auxiliary_head(c3)
        return [F.interpolate(o, size=x.shape[2:], mode="bilinear", align_corners=self.align_corners)
                for o in raw]

    def attention_scales(self):
        head = self.decode_head
        return [head.pam.gamma.scale, head.cam.gamma.scale] if isinstance(head, DAHead) else []


def torchvision_fcn_head(cin, classes):
    inter = cin // 4
    return nn.Sequential(nn.Conv2d(cin, inter, 3, padding=1, bias=False), nn.BatchNorm2d(inter), nn.ReLU(),
                         nn.Dropout(0.1), nn.Conv2d(inter, classes, 1))


class TorchvisionFCN(nn.Module):
    def __init__(self, depth, width, classes, aux):
        super().__init__()
        self.backbone = ref.ResNet(depth, width, deep_stem=False, output_stride=8, multi_grid=False)
        self.classifier = torchvision_fcn_head(self.backbone.c4_channels, classes)
        self.aux_classifier = torchvision_fcn_head(self.backbone.c3_channels, classes) if aux else None

    def forward(self, x):
        c3, c4 = self.backbone(x)
        raw = [self.classifier(c4)] + ([self.aux_classifier(c3)] if self.aux_classifier is not None else [])
        return [F.interpolate(o, size=x.shape[2:], mode="bilinear", align_corners=False) for o in raw]

    def attention_scales(self):
        return []
