package dev.danet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.testing.BadImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding images held in memory (uploads): same pixels as from a file, problems with a kind. */
class ImageBytesTest {

    @TempDir
    Path dir;

    @Test
    void bytesDecodeToTheSamePixelsAsTheFile() throws Exception {
        byte[] png = BadImages.png(31, 17, 1);
        Path file = Files.write(dir.resolve("a.png"), png);
        RgbImage fromFile = ImageDecoder.readRgb(file);
        RgbImage fromBytes = ImageDecoder.decodeRgb("upload", png, 1000);
        assertArrayEquals(fromFile.rgb(), fromBytes.rgb());
        assertArrayEquals(new int[] {31, 17}, ImageDecoder.size("upload", png));
    }

    @Test
    void eachKindOfBadUploadIsNamed() {
        assertKind(ImageProblem.Kind.EMPTY, new byte[0], "upload: image is empty (0 bytes)");
        assertKind(ImageProblem.Kind.NOT_AN_IMAGE, BadImages.notAnImage(), "upload: not an image file");
        assertKind(ImageProblem.Kind.CORRUPT, BadImages.truncatedPng(), "upload: the PNG image is truncated");
        assertKind(ImageProblem.Kind.TOO_LARGE, BadImages.hugePngHeader(20_000, 20_000),
                "upload: image is 20000x20000 = 400000000 pixels, more than the limit of 1000000 pixels");
    }

    @Test
    void theLimitIsCheckedFromTheHeaderBeforeDecoding() {
        // 3000 x 3000 declared, a few bytes of data: refused as too large, not as truncated.
        ImageProblem e = assertThrows(ImageProblem.class,
                () -> ImageDecoder.decodeRgb("upload", BadImages.hugePngHeader(3000, 3000), 1_000_000));
        assertEquals(ImageProblem.Kind.TOO_LARGE, e.kind());
    }

    private static void assertKind(ImageProblem.Kind kind, byte[] bytes, String message) {
        ImageProblem e = assertThrows(ImageProblem.class, () -> ImageDecoder.decodeRgb("upload", bytes, 1_000_000));
        assertEquals(kind, e.kind());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
