package dev.danet.data;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.util.List;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation of a JPEG (tag 274 in the APP1 "Exif" segment) and the pixel
 * transform that shows the stored pixels the way a viewer does.
 *
 * <p>Values: 1 normal, 2 mirrored left-right, 3 rotated 180, 4 mirrored top-bottom,
 * 5 transposed, 6 rotate 90 clockwise to show, 7 transversed, 8 rotate 90 anticlockwise to
 * show (the same transforms as PIL's {@code ImageOps.exif_transpose}). A missing, broken or
 * out-of-range tag counts as 1: a bad EXIF block never fails an image.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};

    private ExifOrientation() {}

    /** True when the bytes start with a JPEG start-of-image marker. */
    static boolean isJpeg(byte[] head, int length) {
        return length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF;
    }

    /** The orientation of a JPEG held in memory; 1 when it has none. */
    static int read(byte[] jpeg) {
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            return read(in);
        } catch (IOException e) {
            return NORMAL;
        }
    }

    /**
     * The orientation from the APP1 segments ahead of the first scan of a JPEG stream,
     * read from the stream's current position (its start); 1 when it has none.
     */
    static int read(ImageInputStream jpeg) {
        try {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(jpeg, JPEG.APP1, "Exif");
            for (JPEGSegment segment : segments) {
                int value = orientationOf(segment);
                if (value != 0) {
                    return value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable EXIF: keep the pixels as stored, as viewers do
        }
        return NORMAL;
    }

    private static int orientationOf(JPEGSegment segment) throws IOException {
        byte[] data;
        try (InputStream in = segment.segmentData()) {
            data = in.readAllBytes();
        }
        if (data.length <= EXIF_ID.length) {
            return 0;
        }
        for (int i = 0; i < EXIF_ID.length; i++) {
            if (data[i] != EXIF_ID[i]) {
                return 0;
            }
        }
        ImageInputStream tiff = new ByteArrayImageInputStream(data, EXIF_ID.length, data.length - EXIF_ID.length);
        Directory ifd0 = new TIFFReader().read(tiff);
        Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry == null) {
            return 0;
        }
        Object value = entry.getValue();
        if (value != null && value.getClass().isArray() && Array.getLength(value) > 0) {
            value = Array.get(value, 0);
        }
        if (value instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
            return n.intValue();
        }
        return NORMAL;
    }

    /** True for the orientations that swap width and height (5 to 8). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The pixels as shown for the given orientation (the same object for 1). */
    static RgbImage apply(RgbImage stored, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return stored;
        }
        int w = stored.width();
        int h = stored.height();
        // Source pixel of shown pixel (X, Y): x = x0 + xStepX * X + xStepY * Y, likewise y.
        int x0 = 0;
        int xStepX = 0;
        int xStepY = 0;
        int y0 = 0;
        int yStepX = 0;
        int yStepY = 0;
        switch (orientation) {
            case 2 -> { x0 = w - 1; xStepX = -1; yStepY = 1; }
            case 3 -> { x0 = w - 1; xStepX = -1; y0 = h - 1; yStepY = -1; }
            case 4 -> { xStepX = 1; y0 = h - 1; yStepY = -1; }
            case 5 -> { xStepY = 1; yStepX = 1; }
            case 6 -> { xStepY = 1; y0 = h - 1; yStepX = -1; }
            case 7 -> { x0 = w - 1; xStepY = -1; y0 = h - 1; yStepX = -1; }
            default -> { x0 = w - 1; xStepY = -1; yStepX = 1; } // 8
        }
        boolean swap = swapsAxes(orientation);
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        byte[] src = stored.rgb();
        byte[] dst = new byte[src.length];
        int start = 3 * (y0 * w + x0);
        int stepX = 3 * (yStepX * w + xStepX);
        int stepY = 3 * (yStepY * w + xStepY);
        int d = 0;
        for (int y = 0; y < outH; y++) {
            int s = start + y * stepY;
            for (int x = 0; x < outW; x++, s += stepX) {
                dst[d++] = src[s];
                dst[d++] = src[s + 1];
                dst[d++] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }
}
