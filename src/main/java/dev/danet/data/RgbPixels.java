package dev.danet.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns a decoded {@link BufferedImage} into interleaved 8-bit RGB, the way PIL's
 * {@code convert('RGB')} does: colour samples as stored (no colour management), alpha
 * dropped, grey copied to r = g = b, palette indices replaced by their palette colour, and
 * 16-bit samples rounded to 8 bits as round(v * 255 / 65535).
 *
 * <p>The common layouts (TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR, TYPE_BYTE_GRAY, TYPE_USHORT_GRAY,
 * TYPE_BYTE_INDEXED, TYPE_INT_RGB / ARGB / BGR, 16-bit RGB(A)) are read straight from the
 * raster's data arrays. Other component or packed layouts go through the raster's sample
 * accessors row by row; anything else (CMYK rasters, float samples, premultiplied alpha)
 * through {@link BufferedImage#getRGB}, row by row.
 */
final class RgbPixels {

    /** round(v * 255 / 65535) for every 16-bit v. */
    private static final byte[] USHORT_TO_BYTE = new byte[65536];

    static {
        for (int v = 0; v < USHORT_TO_BYTE.length; v++) {
            USHORT_TO_BYTE[v] = (byte) ((v + 128) / 257); // exact: v / 257 is never k + 0.5
        }
    }

    private RgbPixels() {}

    static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(3, Math.multiplyExact(w, h))];
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        boolean done;
        if (cm instanceof IndexColorModel icm) {
            indexed(raster, icm, out);
            done = true;
        } else if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied() && colourBands(cm) > 0
                && (cm.getTransferType() == DataBuffer.TYPE_BYTE || cm.getTransferType() == DataBuffer.TYPE_USHORT)) {
            done = interleavedDirect(raster, cm, out) || samplesByRow(raster, cm, out);
        } else if (cm instanceof DirectColorModel dcm && !cm.isAlphaPremultiplied() && colourBands(cm) == 3) {
            done = packedIntDirect(raster, dcm, out) || samplesByRow(raster, cm, out);
        } else {
            done = false;
        }
        if (!done) {
            viaGetRgb(image, out);
        }
        return new RgbImage(w, h, out);
    }

    /** 3 for an RGB colour model, 1 for grey, 0 for anything else. */
    private static int colourBands(ColorModel cm) {
        int type = cm.getColorSpace().getType();
        int n = cm.getNumColorComponents();
        if (type == ColorSpace.TYPE_RGB && n == 3) {
            return 3;
        }
        if (type == ColorSpace.TYPE_GRAY && n == 1) {
            return 1;
        }
        return 0;
    }

    private static void indexed(Raster raster, IndexColorModel icm, byte[] out) {
        int entries = Math.max(icm.getMapSize(), 1 << Math.min(icm.getPixelSize(), 16));
        byte[] r = new byte[entries];
        byte[] g = new byte[entries];
        byte[] b = new byte[entries];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        int w = raster.getWidth();
        int h = raster.getHeight();
        int o = 0;
        if (raster.getDataBuffer() instanceof DataBufferByte db && raster.getSampleModel() instanceof ComponentSampleModel sm
                && sm.getNumBands() == 1) {
            byte[] data = db.getData(sm.getBankIndices()[0]);
            int pixelStride = sm.getPixelStride();
            int scan = sm.getScanlineStride();
            int base = db.getOffsets()[sm.getBankIndices()[0]] + sm.getBandOffsets()[0]
                    + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            for (int y = 0; y < h; y++) {
                int s = base + y * scan;
                for (int x = 0; x < w; x++, s += pixelStride) {
                    int i = data[s] & 0xff;
                    out[o++] = r[i];
                    out[o++] = g[i];
                    out[o++] = b[i];
                }
            }
            return;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x];
                if (i < 0 || i >= entries) {
                    i = 0;
                }
                out[o++] = r[i];
                out[o++] = g[i];
                out[o++] = b[i];
            }
        }
    }

    /** Byte or 8/16-bit ushort pixel-interleaved rasters, read from the data array. */
    private static boolean interleavedDirect(Raster raster, ColorModel cm, byte[] out) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel sm)) {
            return false;
        }
        int bands = colourBands(cm);
        int bits = cm.getTransferType() == DataBuffer.TYPE_BYTE ? 8 : 16;
        int[] bankIndices = sm.getBankIndices();
        for (int c = 0; c < bands; c++) {
            if (cm.getComponentSize(c) != bits || bankIndices[c] != bankIndices[0]) {
                return false;
            }
        }
        DataBuffer buffer = raster.getDataBuffer();
        int bank = bankIndices[0];
        int pixelStride = sm.getPixelStride();
        int scan = sm.getScanlineStride();
        int origin = buffer.getOffsets()[bank]
                + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
                + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
        int[] offsets = sm.getBandOffsets();
        int or = origin + offsets[0];
        int og = origin + offsets[bands == 3 ? 1 : 0];
        int ob = origin + offsets[bands == 3 ? 2 : 0];
        int w = raster.getWidth();
        int h = raster.getHeight();
        int o = 0;
        if (buffer instanceof DataBufferByte db) {
            byte[] data = db.getData(bank);
            if (bands == 1) {
                for (int y = 0; y < h; y++) {
                    int s = or + y * scan;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        byte v = data[s];
                        out[o++] = v;
                        out[o++] = v;
                        out[o++] = v;
                    }
                }
            } else if (pixelStride == 3 && og == or + 1 && ob == or + 2) {
                for (int y = 0; y < h; y++) { // stored RGB (PNG): whole rows at once
                    System.arraycopy(data, or + y * scan, out, 3 * w * y, 3 * w);
                }
            } else if (pixelStride == 3 && og == ob + 1 && or == ob + 2) {
                for (int y = 0; y < h; y++) { // stored BGR (TYPE_3BYTE_BGR, JPEG, BMP)
                    int s = ob + y * scan;
                    int end = o + 3 * w;
                    for (; o < end; o += 3, s += 3) {
                        out[o] = data[s + 2];
                        out[o + 1] = data[s + 1];
                        out[o + 2] = data[s];
                    }
                }
            } else {
                for (int y = 0; y < h; y++) {
                    int d = y * scan;
                    for (int x = 0; x < w; x++, d += pixelStride) {
                        out[o++] = data[or + d];
                        out[o++] = data[og + d];
                        out[o++] = data[ob + d];
                    }
                }
            }
            return true;
        }
        if (buffer instanceof DataBufferUShort db) {
            short[] data = db.getData(bank);
            byte[] lut = USHORT_TO_BYTE;
            if (bands == 1) {
                for (int y = 0; y < h; y++) {
                    int s = or + y * scan;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        byte v = lut[data[s] & 0xffff];
                        out[o++] = v;
                        out[o++] = v;
                        out[o++] = v;
                    }
                }
            } else {
                for (int y = 0; y < h; y++) {
                    int d = y * scan;
                    for (int x = 0; x < w; x++, d += pixelStride) {
                        out[o++] = lut[data[or + d] & 0xffff];
                        out[o++] = lut[data[og + d] & 0xffff];
                        out[o++] = lut[data[ob + d] & 0xffff];
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** TYPE_INT_RGB / ARGB / BGR and other 8-bit-per-channel packed int rasters. */
    private static boolean packedIntDirect(Raster raster, DirectColorModel cm, byte[] out) {
        if (!(raster.getDataBuffer() instanceof DataBufferInt db)
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)) {
            return false;
        }
        int[] masks = {cm.getRedMask(), cm.getGreenMask(), cm.getBlueMask()};
        int[] shifts = new int[3];
        for (int c = 0; c < 3; c++) {
            if (Integer.bitCount(masks[c]) != 8) {
                return false;
            }
            shifts[c] = Integer.numberOfTrailingZeros(masks[c]);
            if ((masks[c] >>> shifts[c]) != 0xff) {
                return false;
            }
        }
        int[] data = db.getData();
        int scan = sm.getScanlineStride();
        int base = db.getOffset() + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
                + (raster.getMinX() - raster.getSampleModelTranslateX());
        int w = raster.getWidth();
        int h = raster.getHeight();
        int sr = shifts[0];
        int sg = shifts[1];
        int sb = shifts[2];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int s = base + y * scan;
            for (int x = 0; x < w; x++) {
                int p = data[s + x];
                out[o++] = (byte) (p >>> sr);
                out[o++] = (byte) (p >>> sg);
                out[o++] = (byte) (p >>> sb);
            }
        }
        return true;
    }

    /**
     * Any raster of an RGB or grey component / packed colour model: samples row by row,
     * each colour band scaled from its bit size to 8 bits (with rounding).
     */
    private static boolean samplesByRow(Raster raster, ColorModel cm, byte[] out) {
        int bands = colourBands(cm);
        int all = raster.getNumBands();
        int[] max = new int[bands];
        for (int c = 0; c < bands; c++) {
            int size = cm.getComponentSize(c);
            if (size < 1 || size > 16) {
                return false;
            }
            max[c] = (1 << size) - 1;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w * all];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int p = x * all;
                for (int k = 0; k < 3; k++) {
                    int c = bands == 3 ? k : 0;
                    out[o++] = scale(row[p + c], max[c]);
                }
            }
        }
        return true;
    }

    private static byte scale(int v, int max) {
        if (max == 255) {
            return (byte) v;
        }
        return (byte) ((v * 255L * 2 + max) / (2L * max));
    }

    private static void viaGetRgb(BufferedImage image, byte[] out) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[o++] = (byte) (p >>> 16);
                out[o++] = (byte) (p >>> 8);
                out[o++] = (byte) p;
            }
        }
    }
}
