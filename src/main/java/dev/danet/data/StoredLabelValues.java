package dev.danet.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * The raw values of a decoded label image, as stored: the palette index of an indexed
 * image, the grey level of a grey one (0..255 or 0..65535; alpha ignored), and for an RGB
 * image whose three channels agree everywhere, that common value. No colour conversion.
 */
final class StoredLabelValues {

    private StoredLabelValues() {}

    /** Why an image cannot be a label map; the message is completed by the caller. */
    static final class NotSingleChannel extends Exception {
        NotSingleChannel(String message) {
            super(message, null, false, false);
        }
    }

    static LabelGrid of(BufferedImage image) throws NotSingleChannel {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int w = image.getWidth();
        int h = image.getHeight();
        if (cm instanceof IndexColorModel || raster.getNumBands() == 1) {
            return new LabelGrid(w, h, band(raster, 0));
        }
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        if (type == ColorSpace.TYPE_GRAY && colours == 1) {
            return new LabelGrid(w, h, band(raster, 0)); // grey + alpha
        }
        if (type == ColorSpace.TYPE_RGB && colours == 3 && raster.getNumBands() >= 3) {
            int[] r = band(raster, 0);
            int[] g = band(raster, 1);
            int[] b = band(raster, 2);
            for (int i = 0; i < r.length; i++) {
                if (r[i] != g[i] || r[i] != b[i]) {
                    throw new NotSingleChannel("label image is an RGB colour image (pixel x=" + (i % w) + ", y=" + (i / w)
                            + " is r=" + r[i] + " g=" + g[i] + " b=" + b[i] + ")");
                }
            }
            return new LabelGrid(w, h, r);
        }
        throw new NotSingleChannel("label image has " + colours + " colour channels ("
                + colourSpaceName(type) + ")");
    }

    private static String colourSpaceName(int type) {
        return switch (type) {
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_RGB -> "RGB";
            case ColorSpace.TYPE_GRAY -> "grey";
            default -> "colour space type " + type;
        };
    }

    /** One band's samples, row-major; read from the data array for byte / ushort rasters. */
    static int[] band(Raster raster, int band) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] out = new int[w * h];
        DataBuffer buffer = raster.getDataBuffer();
        if (raster.getSampleModel() instanceof ComponentSampleModel sm
                && (buffer instanceof DataBufferByte || buffer instanceof DataBufferUShort)) {
            int bank = sm.getBankIndices()[band];
            int pixelStride = sm.getPixelStride();
            int scan = sm.getScanlineStride();
            int base = buffer.getOffsets()[bank] + sm.getBandOffsets()[band]
                    + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            int o = 0;
            if (buffer instanceof DataBufferByte db) {
                byte[] data = db.getData(bank);
                for (int y = 0; y < h; y++) {
                    int s = base + y * scan;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        out[o++] = data[s] & 0xff;
                    }
                }
            } else {
                short[] data = ((DataBufferUShort) buffer).getData(bank);
                for (int y = 0; y < h; y++) {
                    int s = base + y * scan;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        out[o++] = data[s] & 0xffff;
                    }
                }
            }
            return out;
        }
        return raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, band, out);
    }
}
