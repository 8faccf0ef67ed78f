package dev.danet.data;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.danet.DanetException;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads dataset images and label maps, with one-line {@link DanetException}s for the files
 * a dataset really contains: missing, empty, not an image, truncated, too large.
 *
 * <p>Formats: PNG (1 to 16 bits, grey, grey + alpha, RGB, RGBA, palette), BMP, GIF from the JDK;
 * JPEG (YCbCr, grey, CMYK and YCCK with the right colours) from the TwelveMonkeys plugin, which
 * registers ahead of the JDK's JPEG reader. Recognised by their first bytes
 * ({@link SupportedFormat}); anything else ImageIO could read (TIFF, WBMP) is refused.
 *
 * <p>Truncation: ImageIO's JPEG decoding fills the missing part with grey and only warns;
 * here a warning about a premature end or a missing end-of-image marker is an error, as it
 * is for PIL ("image file is truncated"). A truncated PNG makes the JDK reader throw, which
 * is reported the same way.
 *
 * <p>All methods are thread-safe: every call gets its own reader.
 */
public final class ImageDecoder {

    /** Images with more pixels than this are refused before their pixels are decoded. */
    public static final long MAX_PIXELS = 100_000_000L;

    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    private ImageDecoder() {}

    /**
     * The image as 8-bit RGB, as a viewer shows it: EXIF orientation of a JPEG applied,
     * alpha dropped, grey as r = g = b, palette indices as their colours, 16-bit samples
     * rounded to 8 bits (v * 255 / 65535).
     */
    public static RgbImage readRgb(Path file) {
        return readRgb(file, MAX_PIXELS);
    }

    /** As {@link #readRgb(Path)}, refusing images of more than maxPixels from their header. */
    public static RgbImage readRgb(Path file, long maxPixels) {
        return decodeRgb(file.toString(), readFile(file), maxPixels);
    }

    /**
     * As {@link #readRgb(Path)} for an image held in memory (an upload); name stands for the file
     * in messages. Images of more than maxPixels are refused from their header, before decoding.
     */
    public static RgbImage decodeRgb(String name, byte[] bytes, long maxPixels) {
        if (bytes.length == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY, name + ": image is empty (0 bytes)");
        }
        BufferedImage image = decode(name, bytes, maxPixels);
        RgbImage rgb = RgbPixels.of(image);
        if (ExifOrientation.isJpeg(bytes, bytes.length)) {
            rgb = ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
        }
        return rgb;
    }

    /**
     * An image already decoded by the caller as 8-bit RGB, with the conventions of
     * {@link #readRgb(Path)} (alpha dropped, grey as r = g = b, palette indices as their colours).
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        return RgbPixels.of(image);
    }

    /**
     * The label values as stored: palette index for an indexed PNG (how PASCAL VOC stores
     * classes), grey value for a grey PNG (0..255 or 0..65535). An RGB image is accepted only
     * when r = g = b everywhere. No EXIF orientation, no colour conversion.
     *
     * @throws DanetException also when the image is a colour image
     */
    public static LabelGrid readLabels(Path file) {
        byte[] bytes = readFile(file);
        BufferedImage image = decode(file.toString(), bytes, MAX_PIXELS);
        try {
            return StoredLabelValues.of(image);
        } catch (StoredLabelValues.NotSingleChannel e) {
            throw new DanetException(file + ": " + e.getMessage()
                    + "; labels must be single-channel index images: a palette (indexed) PNG or a grayscale PNG");
        }
    }

    /**
     * {width, height} read from the header only, so huge images can be refused cheaply. For a
     * JPEG with an EXIF orientation that turns it by 90 degrees (5 to 8), width and height are
     * swapped: the size is the one {@link #readRgb} returns.
     */
    public static int[] size(Path file) {
        checkFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": cannot open the file for reading");
            }
            return size(file.toString(), in);
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /** As {@link #size(Path)} for an image held in memory (an upload); reads the header only. */
    public static int[] size(String name, byte[] bytes) {
        if (bytes.length == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY, name + ": image is empty (0 bytes)");
        }
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            return size(name, in);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    private static int[] size(String file, ImageInputStream in) throws IOException {
        byte[] head = new byte[3];
        int n = in.read(head);
        in.seek(0);
        int orientation = ExifOrientation.NORMAL;
        if (ExifOrientation.isJpeg(head, n)) {
            orientation = ExifOrientation.read(in);
            in.seek(0);
        }
        ImageReader reader = readerFor(file, in);
        try {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            return ExifOrientation.swapsAxes(orientation) ? new int[] {h, w} : new int[] {w, h};
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, reader, e);
        } finally {
            reader.dispose();
        }
    }

    // ------------------------------------------------------------------------ decoding

    private static BufferedImage decode(String file, byte[] bytes, long maxPixels) {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            ImageReader reader = readerFor(file, in);
            try {
                reader.setInput(in, true, true);
                checkPixels(file, reader.getWidth(0), reader.getHeight(0), maxPixels);
                TruncationWarnings warnings = new TruncationWarnings();
                reader.addIIOReadWarningListener(warnings);
                BufferedImage image = reader.read(0);
                if (warnings.first != null) {
                    throw new ImageProblem(ImageProblem.Kind.CORRUPT, file + ": the " + format(reader) + " image is truncated (the decoder reports: "
                            + oneLine(warnings.first) + ")");
                }
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof DanetException de) {
                    throw de;
                }
                throw corrupt(file, reader, e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * A reader for the image, which must be one of the documented formats by its first bytes:
     * ImageIO also reads TIFF and WBMP (and whatever else a plugin on the class path brings),
     * which nothing here is tested with or documented for.
     */
    private static ImageReader readerFor(String file, ImageInputStream in) throws IOException {
        byte[] head = new byte[8];
        int n = in.read(head);
        in.seek(0);
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        boolean supported = SupportedFormat.recognises(head, n);
        if (supported && readers.hasNext()) {
            return readers.next();
        }
        String why = readers.hasNext() ? "not an image file in a supported format"
                : "not an image file: no decoder recognises its contents";
        throw new ImageProblem(ImageProblem.Kind.NOT_AN_IMAGE, file + ": " + why + " (supported: "
                + SupportedFormat.NAMES + ")");
    }

    private static void checkPixels(String file, int width, int height, long maxPixels) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new ImageProblem(ImageProblem.Kind.CORRUPT,
                    file + ": the image header gives an empty size " + width + "x" + height);
        }
        if (pixels > maxPixels) {
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, file + ": image is " + width + "x" + height + " = "
                    + pixels + " pixels, more than the limit of " + maxPixels + " pixels");
        }
    }

    private static DanetException corrupt(String file, ImageReader reader, Exception e) {
        String what = isTruncation(e) ? "is truncated" : "is truncated or corrupt";
        return new ImageProblem(ImageProblem.Kind.CORRUPT, file + ": the " + format(reader) + " image " + what
                + " (the decoder reports: " + describe(e) + ")", e);
    }

    private static DanetException unreadable(String file, IOException e) {
        return new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": cannot read the file (" + describe(e) + ")", e);
    }

    private static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || isTruncationMessage(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Decoder messages meaning the data stopped early (libjpeg, TwelveMonkeys, zlib). */
    static boolean isTruncationMessage(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("truncated") || m.contains("missing eoi")
                || m.contains("unexpected end");
    }

    private static String format(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    /** The messages down a cause chain, on one line. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t instanceof EOFException ? "unexpected end of file" : t.getClass().getSimpleName();
            }
            m = oneLine(m);
            if (last != null && last.contains(m)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(m);
            last = m;
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** Records the first warning that means the image data ended early. */
    private static final class TruncationWarnings implements IIOReadWarningListener {
        String first;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (first == null && isTruncationMessage(warning)) {
                first = warning;
            }
        }
    }

    // ------------------------------------------------------------------------ files

    private static void checkFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": image file does not exist");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
        if (size == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY, file + ": image file is empty (0 bytes)");
        }
        if (size > MAX_FILE_BYTES) {
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, file + ": image file is " + size
                    + " bytes, too large to decode");
        }
    }

    private static byte[] readFile(Path file) {
        checkFile(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": image file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageProblem(ImageProblem.Kind.UNREADABLE, file + ": cannot read the file (permission denied)", e);
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
        if (bytes.length == 0) {
            throw new ImageProblem(ImageProblem.Kind.EMPTY, file + ": image file is empty (0 bytes)");
        }
        return bytes;
    }
}
