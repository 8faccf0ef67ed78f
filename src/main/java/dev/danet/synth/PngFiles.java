package dev.danet.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes 8-bit RGB and 8-bit greyscale PNGs with the JDK's encoder (no disk cache, thread-safe). */
final class PngFiles {

    private PngFiles() {}

    /** rgb: packed 0xRRGGBB, row-major. */
    static void writeRgb(OutputStream out, int width, int height, int[] rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i++) {
            int c = rgb[i];
            data[3 * i] = (byte) c;
            data[3 * i + 1] = (byte) (c >> 8);
            data[3 * i + 2] = (byte) (c >> 16);
        }
        write(out, image);
    }

    /** values: one unsigned byte per pixel, row-major. */
    static void writeGrey(OutputStream out, int width, int height, byte[] values) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(values, 0, data, 0, values.length);
        write(out, image);
    }

    private static void write(OutputStream out, RenderedImage image) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG encoder in this JDK");
        }
        ImageWriter writer = writers.next();
        // MemoryCacheImageOutputStream.close() flushes but leaves `out` open.
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(image); // default deflate level: the noisy pictures barely compress at any level
        } finally {
            writer.dispose();
        }
    }
}
