#!/usr/bin/python3
"""Writes the end-to-end fixture of PhotoSegmentationTest: an mmsegmentation-layout DANet
checkpoint and PyTorch's label map for a real street photo.

Run from the repository root (Debian's python3-torch, python3-torchvision and python3-pil):

    /usr/bin/python3 tools/make_photo_fixture.py [--out src/test/resources/fixtures/photo]

The photo, leuven.jpg (751x563, a street in Leuven's Groot Begijnhof), is OpenCV's sample image
samples/data/leuvenA.jpg as Debian's opencv-doc package ships it (Apache-2.0 / BSD-3-Clause, see
NOTICE.md beside it). The PyTorch pipeline is what a user of the checkpoint would run: decode
with PIL, RGB / 255, normalise with the mean and std of the checkpoint's config, the model in
eval mode on the whole image, bilinear upsampling of the scores to the photo's size with the
decode head's align_corners (False), argmax over the classes. The model is
tools/public_layouts.py's mmseg DANet-R50-D8 at base width 4 with random weights as in
make_layout_fixtures.py, saved as mmseg 0.x saves it ({'meta': {..., 'config', 'CLASSES',
'PALETTE'}, 'state_dict'}) in the legacy format.

Writes: model.pth, expected_labels.png (8-bit grey PNG of class indices), config.json (class shares and the margin
between the two best logits, to see how close to ties the map runs).
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import danet_reference as ref  # noqa: E402
import make_layout_fixtures as layouts  # noqa: E402
import public_layouts as pub  # noqa: E402

SEED = 4001
MEAN = [123.675, 116.28, 103.53]
STD = [58.395, 57.12, 57.375]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "src", "test", "resources", "fixtures", "photo")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=default_out)
    args = ap.parse_args()
    torch.set_num_threads(2)

    photo = np.asarray(Image.open(os.path.join(args.out, "leuven.jpg")).convert("RGB"), dtype=np.float32)
    height, width = photo.shape[:2]
    model = pub.MmsegSegmentor(50, layouts.WIDTH, "danet", len(layouts.CLASSES), aux=True, align_corners=False)
    ref.randomize(model, SEED)
    with torch.no_grad():
        for scale, value in zip(model.attention_scales(), layouts.GAMMAS):
            scale.fill_(value)
    ref.calibrate(model, [2, 3, 64, 64], layouts.CALIB_BATCHES, SEED + 1)
    # The photo's own size as the test scale: whole image, no resize.
    config = layouts.CONFIG_0X.format(depth=50, head_type="DAHead", align="False", test_cfg=layouts.WHOLE,
                                      reduce="False").replace("img_scale=(2048, 1024)",
                                                              "img_scale=(%d, %d)" % (width, height))
    meta = {"mmseg_version": "0.30.0", "config": config, "CLASSES": tuple(layouts.CLASSES),
            "PALETTE": layouts.PALETTE}
    torch.save({"meta": meta, "state_dict": model.state_dict()}, os.path.join(args.out, "model.pth"),
               _use_new_zipfile_serialization=False)

    x = (torch.from_numpy(photo) - torch.tensor(MEAN)) / torch.tensor(STD)
    x = x.permute(2, 0, 1).unsqueeze(0).contiguous()
    with torch.no_grad():
        scores = model(x)[0][0]  # main output, already upsampled to the photo's size
    labels = scores.argmax(0).numpy().astype(np.int64)
    top2 = torch.topk(scores, 2, dim=0).values
    margin = (top2[0] - top2[1]).numpy()
    Image.fromarray(labels.astype(np.uint8), mode="L").save(os.path.join(args.out, "expected_labels.png"))
    shares = np.bincount(labels.ravel(), minlength=len(layouts.CLASSES)) / labels.size
    info = {"height": height, "width": width, "class_shares": [round(float(s), 4) for s in shares],
            "pixels_with_top2_margin_below_1e-3": int((margin < 1e-3).sum()),
            "torch_version": torch.__version__}
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
