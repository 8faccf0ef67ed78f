package dev.danet.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small files that cost much or that no documented format covers: what a probing user sends. */
public final class ProbeImages {

    private ProbeImages() {}

    /** A one-colour image of any shape (a 1 x 20000 strip is 139 bytes as PNG) in a format ImageIO writes. */
    public static byte[] plain(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height,
                format.equals("wbmp") ? BufferedImage.TYPE_BYTE_BINARY : BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A one-colour PNG of any shape. */
    public static byte[] png(int width, int height) {
        return plain(width, height, "png");
    }
}
