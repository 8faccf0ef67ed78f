#!/usr/bin/python3
"""Writes the small image fixtures of ImageDecoderTest.

Run with /usr/bin/python3 (needs PIL: `apt-get install -y python3-pil`, and numpy):

    /usr/bin/python3 tools/make_image_fixtures.py

Output: src/test/resources/fixtures/images/*.png|jpg|bmp and expected.json.

PNGs are written by a small encoder here (zlib + chunks) so that every colour type and
bit depth is exactly what the test wants (PIL cannot write 16-bit RGB); each one that PIL
can read back is checked against the source array. Expected values of lossless files come
from the source arrays (16-bit reduced as round(v * 255 / 65535)); expected values of JPEGs
come from PIL's own decode (after ImageOps.exif_transpose for the oriented ones), so the
Java side is compared with an independent decoder, within a tolerance.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "images")
W, H = 12, 8  # lossless fixtures: 12 wide, 8 high


# ---------------------------------------------------------------- PNG encoder
def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, rows, width, height, bit_depth, color_type, palette=None, trns=None):
    """rows: list of per-row raw byte strings (already packed / big-endian)."""
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 (None) per row
    data = b"\x89PNG\r\n\x1a\n"
    data += _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))
    if palette is not None:
        data += _chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        data += _chunk(b"tRNS", bytes(trns))
    data += _chunk(b"IDAT", zlib.compress(raw, 9))
    data += _chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def png_from_array(path, arr, color_type, palette=None, trns=None):
    """arr: (H, W[, C]) uint8 or uint16 array, written at its own bit depth."""
    arr = np.asarray(arr)
    bit_depth = 16 if arr.dtype == np.uint16 else 8
    height, width = arr.shape[:2]
    big = arr.astype(">u2") if bit_depth == 16 else arr.astype(np.uint8)
    rows = [big[y].tobytes() for y in range(height)]
    write_png(path, rows, width, height, bit_depth, color_type, palette, trns)


def png_packed_palette(path, indices, bits, palette):
    height, width = indices.shape
    per_byte = 8 // bits
    rows = []
    for y in range(height):
        row = bytearray()
        for x0 in range(0, width, per_byte):
            b = 0
            for k in range(per_byte):
                v = int(indices[y, x0 + k]) if x0 + k < width else 0
                b |= v << (8 - bits * (k + 1))
            row.append(b)
        rows.append(bytes(row))
    write_png(path, rows, width, height, bits, 3, palette)


def round16(a):
    return ((a.astype(np.int64) + 128) // 257).astype(np.uint8)  # == round(v * 255 / 65535)


def voc_palette():
    pal = np.zeros((256, 3), dtype=np.uint8)
    for i in range(256):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal[i] = (r, g, b)
    return pal


def flat(a):
    return [int(v) for v in np.asarray(a).reshape(-1)]


def check_pil(path, expected, mode=None):
    im = Image.open(path)
    if mode is not None:
        im = im.convert(mode)
    got = np.array(im)
    assert got.shape == expected.shape and (got == expected).all(), (path, got, expected)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    yy, xx = np.mgrid[0:H, 0:W]

    # --- 8-bit RGB: a gradient with 0 and 255 in every channel
    rgb = np.stack([xx * 255 // (W - 1), yy * 255 // (H - 1), (xx * 37 + yy * 91) % 256], -1).astype(np.uint8)
    p = os.path.join(OUT, "rgb8.png")
    png_from_array(p, rgb, 2)
    check_pil(p, rgb)
    expected["rgb8.png"] = {"width": W, "height": H, "rgb": flat(rgb)}

    # --- 8-bit RGBA: colours kept as stored where alpha is 0 (PIL convert('RGB') keeps them)
    alpha = ((xx + yy) % 3 * 127).astype(np.uint8)  # 0, 127, 254
    rgba = np.concatenate([rgb[..., ::-1], alpha[..., None]], -1)
    p = os.path.join(OUT, "rgba8.png")
    png_from_array(p, rgba, 6)
    check_pil(p, rgba)
    expected["rgba8.png"] = {"width": W, "height": H, "rgb": flat(rgba[..., :3])}

    # --- 16-bit RGB and RGBA: values around rounding boundaries (v/257 = x.498, x.502)
    specials = np.array([0, 1, 128, 129, 385, 386, 32767, 32768, 65407, 65408, 65534, 65535], dtype=np.int64)
    r16 = np.tile(specials, (H, 1))
    g16 = (xx * 5461 + yy * 797) % 65536
    b16 = (65535 - xx * 4369 - yy * 257 * 3).clip(0, 65535)
    rgb16 = np.stack([r16, g16, b16], -1).astype(np.uint16)
    p = os.path.join(OUT, "rgb16.png")
    png_from_array(p, rgb16, 2)
    check_pil(p, (rgb16 >> 8).astype(np.uint8))  # PIL reads 16-bit RGB as the high bytes
    expected["rgb16.png"] = {"width": W, "height": H, "rgb": flat(round16(rgb16))}

    a16 = ((xx * 6000) % 65536).astype(np.uint16)
    rgba16 = np.concatenate([rgb16, a16[..., None]], -1)
    p = os.path.join(OUT, "rgba16.png")
    png_from_array(p, rgba16, 6)
    expected["rgba16.png"] = {"width": W, "height": H, "rgb": flat(round16(rgb16))}

    # --- 8-bit grayscale and grayscale+alpha
    g8 = ((xx * 23 + yy * 3) % 256).astype(np.uint8)
    g8[0, 0], g8[H - 1, W - 1] = 0, 255
    p = os.path.join(OUT, "gray8.png")
    png_from_array(p, g8, 0)
    check_pil(p, g8)
    expected["gray8.png"] = {"width": W, "height": H, "rgb": flat(np.repeat(g8[..., None], 3, -1)),
                             "labels": flat(g8)}

    ga8 = np.stack([g8, (255 - g8)], -1).astype(np.uint8)
    p = os.path.join(OUT, "gray_alpha8.png")
    png_from_array(p, ga8, 4)
    check_pil(p, ga8)
    expected["gray_alpha8.png"] = {"width": W, "height": H, "rgb": flat(np.repeat(g8[..., None], 3, -1)),
                                   "labels": flat(g8)}

    # --- 16-bit grayscale: label values above 255 (e.g. Cityscapes-style instance ids)
    g16 = (xx * 5000 + yy * 1234 + 7).astype(np.int64)
    g16[0, 0], g16[0, 1], g16[0, 2], g16[H - 1, W - 1] = 0, 256, 1000, 65535
    g16 = g16.clip(0, 65535).astype(np.uint16)
    p = os.path.join(OUT, "gray16.png")
    png_from_array(p, g16, 0)
    check_pil(p, g16.astype(np.int32))  # PIL: mode I;16 -> np uint16/int32
    expected["gray16.png"] = {"width": W, "height": H, "rgb": flat(np.repeat(round16(g16)[..., None], 3, -1)),
                              "labels": flat(g16)}

    # --- 8-bit palette (VOC colour map), indices 0, 1, 2, 255 present, tRNS on index 255
    pal = voc_palette()
    idx = np.zeros((H, W), dtype=np.uint8)
    idx[:, 3:6] = 1
    idx[:, 6:9] = 2
    idx[:, 9:] = 15
    idx[0:2, :] = 255  # VOC's "void" border
    idx[H - 1, W - 1] = 0
    trns = [255] * 255 + [0]  # index 255 fully transparent: its colour must still come out
    p = os.path.join(OUT, "palette8.png")
    png_from_array(p, idx, 3, palette=pal, trns=trns)
    im = Image.open(p)
    assert im.mode == "P" and (np.array(im) == idx).all()
    expected["palette8.png"] = {"width": W, "height": H, "rgb": flat(pal[idx]), "labels": flat(idx)}

    # --- 2-bit palette (packed pixels: the general, non-byte path)
    pal4 = np.array([[10, 20, 30], [200, 0, 0], [0, 200, 0], [0, 0, 200]], dtype=np.uint8)
    idx4 = ((xx + 2 * yy) % 4).astype(np.uint8)
    p = os.path.join(OUT, "palette2bit.png")
    png_packed_palette(p, idx4, 2, pal4)
    im = Image.open(p)
    assert im.mode == "P" and (np.array(im) == idx4).all()
    expected["palette2bit.png"] = {"width": W, "height": H, "rgb": flat(pal4[idx4]), "labels": flat(idx4)}

    # --- RGB label images: one grey in disguise (r == g == b), one real colour label
    grey_rgb = np.repeat(((xx * 3 + yy) % 21).astype(np.uint8)[..., None], 3, -1)
    grey_rgb[2, 2] = 255
    p = os.path.join(OUT, "label_rgb_grey.png")
    png_from_array(p, grey_rgb, 2)
    expected["label_rgb_grey.png"] = {"width": W, "height": H, "labels": flat(grey_rgb[..., 0])}
    p = os.path.join(OUT, "label_rgb_colour.png")
    png_from_array(p, pal[idx], 2)
    expected["label_rgb_colour.png"] = {"width": W, "height": H}

    # --- BMP (24-bit, bottom-up rows in the file)
    p = os.path.join(OUT, "rgb24.bmp")
    Image.fromarray(rgb, "RGB").save(p)
    check_pil(p, rgb)
    expected["rgb24.bmp"] = {"width": W, "height": H, "rgb": flat(rgb)}

    # --- JPEGs with EXIF orientation 1..8: stored 32 wide x 16 high, four coloured quadrants
    sw, sh = 32, 16
    quad = np.zeros((sh, sw, 3), dtype=np.uint8)
    quad[: sh // 2, : sw // 2] = (255, 255, 255)  # top-left: white
    quad[: sh // 2, sw // 2:] = (230, 20, 20)  # top-right: red
    quad[sh // 2:, : sw // 2] = (20, 200, 20)  # bottom-left: green
    quad[sh // 2:, sw // 2:] = (20, 20, 220)  # bottom-right: blue
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        buf = io.BytesIO()
        Image.fromarray(quad, "RGB").save(buf, "JPEG", quality=95, exif=exif.tobytes())
        name = "orientation%d.jpg" % orientation
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(buf.getvalue())
        shown = ImageOps.exif_transpose(Image.open(os.path.join(OUT, name))).convert("RGB")
        arr = np.array(shown)
        expected[name] = {"width": shown.width, "height": shown.height, "orientation": orientation,
                          "rgb": flat(arr), "stored_width": sw, "stored_height": sh}

    # --- CMYK JPEG (Adobe APP14, inverted CMYK as PIL/Photoshop write it), 4 quadrants
    cmyk = np.zeros((sh, sw, 4), dtype=np.uint8)
    cmyk[: sh // 2, : sw // 2] = (0, 0, 0, 0)  # white paper
    cmyk[: sh // 2, sw // 2:] = (0, 255, 255, 0)  # magenta + yellow: red
    cmyk[sh // 2:, : sw // 2] = (0, 0, 0, 255)  # black ink
    cmyk[sh // 2:, sw // 2:] = (255, 255, 0, 0)  # cyan + magenta: blue/violet
    p = os.path.join(OUT, "cmyk.jpg")
    Image.fromarray(cmyk, "CMYK").save(p, "JPEG", quality=95)
    assert Image.open(p).mode == "CMYK"
    naive = np.array(Image.open(p).convert("RGB"))  # PIL's naive (no ICC) conversion
    expected["cmyk.jpg"] = {"width": sw, "height": sh, "quadrants": {
        "top_left": "white", "top_right": "red", "bottom_left": "black", "bottom_right": "blue"},
        "naive_rgb_at_centres": [flat(naive[y, x]) for (x, y) in
                                 ((8, 4), (24, 4), (8, 12), (24, 12))]}

    # --- grayscale JPEG
    gj = ((np.mgrid[0:sh, 0:sw][1] * 8 + np.mgrid[0:sh, 0:sw][0] * 4) % 256).astype(np.uint8)
    p = os.path.join(OUT, "gray.jpg")
    Image.fromarray(gj, "L").save(p, "JPEG", quality=95)
    arr = np.array(Image.open(p))
    expected["gray.jpg"] = {"width": sw, "height": sh, "rgb": flat(np.repeat(arr[..., None], 3, -1))}

    # --- grayscale JPEG with EXIF orientation 6: readRgb turns it, readLabels must not
    exif = Image.Exif()
    exif[0x0112] = 6
    p = os.path.join(OUT, "gray_orientation6.jpg")
    Image.fromarray(gj, "L").save(p, "JPEG", quality=95, exif=exif.tobytes())
    stored = np.array(Image.open(p))
    shown = np.array(ImageOps.exif_transpose(Image.open(p)))
    expected["gray_orientation6.jpg"] = {"width": sh, "height": sw, "stored_width": sw, "stored_height": sh,
                                         "rgb": flat(np.repeat(shown[..., None], 3, -1)), "labels": flat(stored)}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        # one line per file: readable diffs without one number per line
        f.write("{\n" + ",\n".join(json.dumps(k) + ": " + json.dumps(expected[k], sort_keys=True)
                                    for k in sorted(expected)) + "\n}\n")
    for name in sorted(os.listdir(OUT)):
        print("%-24s %6d bytes" % (name, os.path.getsize(os.path.join(OUT, name))))


if __name__ == "__main__":
    main()
