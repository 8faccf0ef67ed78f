#!/usr/bin/env python3
"""Which scale an Attention-to-Scale model trusts, by the size of the object under the pixel.

For the scale benchmark (issue 19): reads the val labels of a Cityscapes-layout set and, for each
model, the per-pixel scale weights that `./danet scales --npy` wrote, finds every traffic-sign
(disc) and wall (square) object as a 4-connected component of its label, and averages each scale's
weight over the pixels of the objects in each size bin (size = the square root of the object's
area in pixels), and over the other pixels. Prints a Markdown table per model and their mean.

    ./danet scales --weights RUN/model.danet --npy --out W data/benchmarks/scale/leftImg8bit/val/*/*.png
    python3 tools/scale_weights_by_size.py data/benchmarks/scale W1 W2 W3

Needs numpy and PIL (Debian: python3-numpy python3-pil).
"""
import collections
import glob
import os
import sys

import numpy as np
from PIL import Image

CLASSES = {20: "traffic sign", 12: "wall"}  # Cityscapes labelIds
BINS = [(0, 12), (12, 24), (24, 48), (48, 10_000)]


def components(mask):
    """Sizes (pixel lists) of the 4-connected components of a boolean mask."""
    seen = np.zeros_like(mask, dtype=bool)
    height, width = mask.shape
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        stack, pixels = [(y0, x0)], []
        while stack:
            y, x = stack.pop()
            pixels.append((y, x))
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        yield pixels


def bin_of(size):
    for low, high in BINS:
        if low <= size < high:
            return "%d-%d px" % (low, high) if high < 10_000 else ">= %d px" % low
    raise ValueError(size)


def analyse(data, weights_dir):
    sums = collections.defaultdict(lambda: None)
    pixels = collections.Counter()
    objects = collections.Counter()
    files = sorted(glob.glob(os.path.join(weights_dir, "*-scales.npy")))
    if not files:
        sys.exit("%s: no *-scales.npy (run ./danet scales --npy)" % weights_dir)
    for path in files:
        stem = os.path.basename(path)[: -len("-scales.npy")]
        city = stem.split("_")[0]
        label_path = os.path.join(data, "gtFine", "val", city, stem.replace("_leftImg8bit", "_gtFine_labelIds") + ".png")
        labels = np.array(Image.open(label_path))
        weights = np.load(path)  # (S, H, W)
        assigned = np.zeros(labels.shape, dtype=bool)
        for label_id in CLASSES:
            for comp in components(labels == label_id):
                ys, xs = zip(*comp)
                key = bin_of(len(comp) ** 0.5)
                w = weights[:, ys, xs].sum(axis=1)
                sums[key] = w if sums[key] is None else sums[key] + w
                pixels[key] += len(comp)
                objects[key] += 1
                assigned[ys, xs] = True
        rest = weights[:, ~assigned].sum(axis=1)
        sums["other pixels"] = rest if sums["other pixels"] is None else sums["other pixels"] + rest
        pixels["other pixels"] += int((~assigned).sum())
    keys = [bin_of(low + 0.5) for low, _ in BINS] + ["other pixels"]
    return {k: (sums[k] / pixels[k], objects[k], pixels[k]) for k in keys if pixels[k]}, len(files)


def table(rows, scales):
    out = ["| object size (sqrt of area) | objects | pixels | " + " | ".join("scale %s" % s for s in scales) + " |",
           "|---|---|---|" + "---|" * len(scales)]
    for key, (mean, count, npix) in rows.items():
        out.append("| %s | %s | %d | %s |" % (key, count if key != "other pixels" else "", npix,
                                             " | ".join("%.3f" % v for v in mean)))
    return "\n".join(out)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, dirs = sys.argv[1], sys.argv[2:]
    scales = ["1", "0.75", "0.5"]
    results = []
    for d in dirs:
        rows, images = analyse(data, d)
        results.append(rows)
        print("### %s (%d images)\n\n%s\n" % (d, images, table(rows, scales)))
    if len(results) > 1:
        keys = [k for k in results[0] if all(k in r for r in results)]
        mean = {k: (np.mean([r[k][0] for r in results], axis=0),
                    results[0][k][1], results[0][k][2]) for k in keys}
        print("### mean over the %d models\n\n%s" % (len(results), table(mean, scales)))


if __name__ == "__main__":
    main()
