package dev.danet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.testing.ProbeImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fixtures: tools/make_image_fixtures.py (expected values from numpy / PIL). */
class ImageDecoderTest {

    private static final Path DIR = Path.of("src/test/resources/fixtures/images");
    /**
     * Max |Java - PIL| per JPEG sample. Measured 0 here (same IDCT and upsampling); a little
     * room for other libjpeg builds, far below what a wrong orientation or colour would give.
     */
    private static final int JPEG_TOLERANCE = 2;
    private static final List<Consumer<Path>> DECODERS = List.of(ImageDecoder::readRgb, ImageDecoder::readLabels);
    private static final List<Consumer<Path>> ALL_ENTRY_POINTS =
            List.of(ImageDecoder::readRgb, ImageDecoder::readLabels, ImageDecoder::size);

    private static JsonNode expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadExpected() throws IOException {
        expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    }

    // ------------------------------------------------------------------ lossless RGB

    @Test
    void rgbPngDecodesExactly() {
        assertRgbExact("rgb8.png");
    }

    @Test
    void rgbaPngDropsAlphaAndKeepsStoredColoursOfTransparentPixels() {
        assertRgbExact("rgba8.png");
    }

    @Test
    void sixteenBitRgbAndRgbaPngRoundEachSampleToEightBits() {
        assertRgbExact("rgb16.png"); // includes v = 385 -> 1, 386 -> 2, 32767 -> 127, 32768 -> 128
        assertRgbExact("rgba16.png");
    }

    @Test
    void grayscalePngsBecomeEqualRgbChannels() {
        assertRgbExact("gray8.png");
        assertRgbExact("gray16.png");
        assertRgbExact("gray_alpha8.png");
    }

    @Test
    void palettePngsBecomeTheirPaletteColoursIncludingTransparentEntries() {
        assertRgbExact("palette8.png");
        assertRgbExact("palette2bit.png"); // packed 2-bit indices: the non-byte raster path
    }

    @Test
    void bmpDecodesExactly() {
        assertRgbExact("rgb24.bmp");
    }

    // ------------------------------------------------------------------ JPEG

    @ParameterizedTest(name = "EXIF orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationIsAppliedLikePilExifTranspose(int orientation) {
        String name = "orientation" + orientation + ".jpg";
        RgbImage image = ImageDecoder.readRgb(DIR.resolve(name));
        assertRgbClose(name, image);
        // Independent of PIL: the stored top-left quadrant is white; find where it went.
        boolean turned = orientation >= 5;
        assertEquals(turned ? 16 : 32, image.width());
        int qw = image.width() / 2;
        int qh = image.height() / 2;
        int[][] centres = {{qw / 2, qh / 2}, {qw + qw / 2, qh / 2}, {qw / 2, qh + qh / 2}, {qw + qw / 2, qh + qh / 2}};
        // index of the shown quadrant (0 TL, 1 TR, 2 BL, 3 BR) that holds the stored top-left
        int[] whiteAt = {-1, 0, 1, 3, 2, 0, 1, 3, 2};
        for (int q = 0; q < 4; q++) {
            int x = centres[q][0];
            int y = centres[q][1];
            boolean white = image.red(x, y) > 240 && image.green(x, y) > 240 && image.blue(x, y) > 240;
            assertEquals(q == whiteAt[orientation], white, name + " quadrant " + q);
        }
    }

    @Test
    void cmykJpegHasCorrectColours() {
        RgbImage image = ImageDecoder.readRgb(DIR.resolve("cmyk.jpg"));
        assertEquals(32, image.width());
        assertEquals(16, image.height());
        // no ink: white; magenta + yellow: red; black ink: black; cyan + magenta: blue
        int[] white = pixel(image, 8, 4);
        int[] red = pixel(image, 24, 4);
        int[] black = pixel(image, 8, 12);
        int[] blue = pixel(image, 24, 12);
        assertTrue(white[0] > 230 && white[1] > 230 && white[2] > 230, Arrays.toString(white));
        assertTrue(red[0] > 180 && red[1] < 80 && red[2] < 80, Arrays.toString(red));
        assertTrue(black[0] < 60 && black[1] < 60 && black[2] < 60, Arrays.toString(black));
        assertTrue(blue[2] > 120 && blue[0] < 100 && blue[1] < 100, Arrays.toString(blue));
    }

    @Test
    void grayscaleJpegBecomesEqualRgbChannels() {
        RgbImage image = ImageDecoder.readRgb(DIR.resolve("gray.jpg"));
        assertRgbClose("gray.jpg", image);
        for (int i = 0; i < image.rgb().length; i += 3) {
            assertEquals(image.rgb()[i], image.rgb()[i + 1]);
            assertEquals(image.rgb()[i], image.rgb()[i + 2]);
        }
    }

    @Test
    void rgbOfRotatedGrayJpegIsTurnedButItsLabelsAreNot() {
        String name = "gray_orientation6.jpg";
        RgbImage shown = ImageDecoder.readRgb(DIR.resolve(name));
        assertRgbClose(name, shown);
        LabelGrid stored = ImageDecoder.readLabels(DIR.resolve(name));
        JsonNode e = expected.get(name);
        assertEquals(e.get("stored_width").asInt(), stored.width());
        assertEquals(e.get("stored_height").asInt(), stored.height());
        assertMaxDiff(name + " labels", ints(e.get("labels")), stored.values(), JPEG_TOLERANCE);
    }

    // ------------------------------------------------------------------ labels

    @Test
    void palettePngLabelsAreIndicesNotColours() {
        LabelGrid labels = assertLabelsExact("palette8.png");
        int[] present = Arrays.stream(labels.values()).distinct().sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 15, 255}, present);
        assertLabelsExact("palette2bit.png");
    }

    @Test
    void grayscalePngLabelsAreGreyValuesWithSixteenBitValuesKept() {
        assertLabelsExact("gray8.png");
        LabelGrid wide = assertLabelsExact("gray16.png");
        assertEquals(0, wide.get(0, 0));
        assertEquals(256, wide.get(1, 0));
        assertEquals(1000, wide.get(2, 0));
        assertEquals(65535, wide.get(11, 7));
        assertLabelsExact("gray_alpha8.png"); // alpha ignored
    }

    @Test
    void rgbLabelImageWithEqualChannelsIsReadAsItsGreyValue() {
        assertLabelsExact("label_rgb_grey.png");
    }

    @Test
    void rgbColourLabelImageIsAnErrorSayingLabelsMustBeSingleChannel() {
        Path file = DIR.resolve("label_rgb_colour.png");
        DanetException e = assertThrows(DanetException.class, () -> ImageDecoder.readLabels(file));
        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("single-channel"), e.getMessage());
        assertTrue(e.getMessage().contains("palette"), e.getMessage());
        assertTrue(e.getMessage().contains("grayscale"), e.getMessage());
    }

    // ------------------------------------------------------------------ size

    @Test
    void sizeReadsTheHeaderAndSwapsForJpegsShownTurned() {
        assertArrayEquals(new int[] {12, 8}, ImageDecoder.size(DIR.resolve("rgb8.png")));
        assertArrayEquals(new int[] {32, 16}, ImageDecoder.size(DIR.resolve("orientation3.jpg")));
        assertArrayEquals(new int[] {16, 32}, ImageDecoder.size(DIR.resolve("orientation6.jpg")));
        assertArrayEquals(new int[] {12, 8}, ImageDecoder.size(DIR.resolve("rgb24.bmp")));
    }

    @Test
    void sizeDoesNotDecodePixelsSoItWorksOnATruncatedImage() throws IOException {
        Path half = write("half.png", cut(noisePng(64, 48), 0.5));
        assertArrayEquals(new int[] {64, 48}, ImageDecoder.size(half));
        assertThrows(DanetException.class, () -> ImageDecoder.readRgb(half));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void missingFileIsAnError() {
        Path file = tmp.resolve("nope.png");
        assertAllEntryPointsFail(file, "does not exist");
    }

    @Test
    void zeroByteFileIsAnError() throws IOException {
        Path file = write("empty.png", new byte[0]);
        assertAllEntryPointsFail(file, "empty");
    }

    @Test
    void textFileIsNotAnImage() throws IOException {
        Path file = write("notes.png", "just some text\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        assertAllEntryPointsFail(file, "not an image");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiff", "wbmp"})
    void formatsOutsideTheDocumentedFourAreRefusedByTheirFirstBytes(String format) throws IOException {
        // ImageIO reads both, but the documented formats are PNG, JPEG, BMP and GIF.
        byte[] bytes = ProbeImages.plain(16, 8, format);
        Path file = write("scan.png", bytes);
        String what = "not an image file in a supported format (supported: PNG, JPEG, BMP, GIF)";
        assertAllEntryPointsFail(file, what);
        ImageProblem e = assertThrows(ImageProblem.class, () -> ImageDecoder.decodeRgb("upload", bytes, 1000));
        assertEquals(ImageProblem.Kind.NOT_AN_IMAGE, e.kind());
        assertTrue(e.getMessage().startsWith("upload: "), e.getMessage());
        assertThrows(ImageProblem.class, () -> ImageDecoder.size("upload", bytes));
    }

    @Test
    void directoryIsAnError() {
        assertAllEntryPointsFail(tmp, "directory");
    }

    @Test
    void pngCutInHalfIsReportedAsTruncated() throws IOException {
        Path file = write("half.png", cut(noisePng(64, 48), 0.5));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void pngCutAtAChunkBoundaryMidImageIsReportedAsTruncated() throws IOException {
        // the image data split over many IDAT chunks; the cut keeps whole chunks only
        byte[] png = splitIdat(noisePng(64, 48), 256);
        int cutAt = chunkEndAfter(png, png.length / 2);
        Path file = write("chunks.png", Arrays.copyOf(png, cutAt));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void jpegCutInHalfIsReportedAsTruncatedNotHalfGrey() throws IOException {
        // ImageIO alone returns the image with its lower half grey and only a warning
        Path file = write("half.jpg", cut(noiseJpeg(64, 64, false, false), 0.5));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void grayscaleJpegCutInHalfIsReportedAsTruncated() throws IOException {
        Path file = write("half_gray.jpg", cut(noiseJpeg(64, 64, true, false), 0.5));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void progressiveJpegCutBetweenScansIsReportedAsTruncated() throws IOException {
        byte[] jpeg = noiseJpeg(64, 64, false, true);
        int secondScan = indexOfMarker(jpeg, 0xDA, indexOfMarker(jpeg, 0xDA, 0) + 2);
        assertTrue(secondScan > 0, "progressive JPEG with more than one scan");
        Path file = write("prog.jpg", Arrays.copyOf(jpeg, secondScan));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void jpegMissingOnlyItsEndMarkerIsReportedAsTruncatedLikePil() throws IOException {
        byte[] jpeg = noiseJpeg(64, 64, false, false);
        Path file = write("noeoi.jpg", Arrays.copyOf(jpeg, jpeg.length - 2));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void completeNoiseImagesDecodeWithoutError() throws IOException {
        // the generators behind the truncation tests make valid files
        assertEquals(64, ImageDecoder.readRgb(write("ok.png", noisePng(64, 48))).width());
        assertEquals(64, ImageDecoder.readRgb(write("ok.jpg", noiseJpeg(64, 64, false, false))).width());
        assertEquals(64, ImageDecoder.readRgb(write("okp.jpg", noiseJpeg(64, 64, false, true))).width());
        assertEquals(64, ImageDecoder.readLabels(write("okg.jpg", noiseJpeg(64, 64, true, false))).width());
    }

    @Test
    void bmpCutInHalfIsReportedAsTruncated() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noise(64, 48, BufferedImage.TYPE_3BYTE_BGR), "bmp", out);
        Path file = write("half.bmp", cut(out.toByteArray(), 0.5));
        assertDecodeFails(file, "truncated");
    }

    @Test
    void pngWithMorePixelsThanTheLimitIsRefusedFromItsHeader() throws IOException {
        // 20000 x 20000 in the header, almost no data: refused by size, not by a failed decode
        Path file = write("huge.png", pngHeaderOnly(20_000, 20_000));
        for (Consumer<Path> call : DECODERS) {
            DanetException e = assertThrows(DanetException.class, () -> call.accept(file));
            assertOneLineNaming(file, e);
            assertTrue(e.getMessage().contains("400000000 pixels"), e.getMessage());
            assertTrue(e.getMessage().contains("limit of " + ImageDecoder.MAX_PIXELS), e.getMessage());
        }
        assertArrayEquals(new int[] {20_000, 20_000}, ImageDecoder.size(file)); // the caller can check it cheaply
    }

    @Test
    void jpegWithMorePixelsThanTheLimitIsRefusedFromItsHeader() throws IOException {
        byte[] jpeg = noiseJpeg(64, 64, false, false);
        int sof = indexOfMarker(jpeg, 0xC0, 0);
        assertTrue(sof > 0);
        // SOF0: FF C0, length(2), precision(1), height(2), width(2)
        jpeg[sof + 5] = (byte) 0xEA; // height 60000
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA; // width 60000
        jpeg[sof + 8] = (byte) 0x60;
        Path file = write("huge.jpg", jpeg);
        DanetException e = assertThrows(DanetException.class, () -> ImageDecoder.readRgb(file));
        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRgbExact(String name) {
        JsonNode e = expected.get(name);
        RgbImage image = ImageDecoder.readRgb(DIR.resolve(name));
        assertEquals(e.get("width").asInt(), image.width(), name);
        assertEquals(e.get("height").asInt(), image.height(), name);
        assertArrayEquals(ints(e.get("rgb")), unsigned(image.rgb()), name);
    }

    private static void assertRgbClose(String name, RgbImage image) {
        JsonNode e = expected.get(name);
        assertEquals(e.get("width").asInt(), image.width(), name);
        assertEquals(e.get("height").asInt(), image.height(), name);
        assertMaxDiff(name, ints(e.get("rgb")), unsigned(image.rgb()), JPEG_TOLERANCE);
    }

    private static void assertMaxDiff(String what, int[] want, int[] got, int tolerance) {
        assertEquals(want.length, got.length, what);
        int worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst <= tolerance, what + ": max difference to PIL " + worst);
    }

    private static LabelGrid assertLabelsExact(String name) {
        JsonNode e = expected.get(name);
        LabelGrid labels = ImageDecoder.readLabels(DIR.resolve(name));
        assertEquals(e.get("width").asInt(), labels.width(), name);
        assertEquals(e.get("height").asInt(), labels.height(), name);
        assertArrayEquals(ints(e.get("labels")), labels.values(), name);
        return labels;
    }

    private static void assertOneLineNaming(Path file, DanetException e) {
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertTrue(m.contains(file.toString()), "names the file: " + m);
    }

    private static void assertAllEntryPointsFail(Path file, String what) {
        for (Consumer<Path> call : ALL_ENTRY_POINTS) {
            DanetException e = assertThrows(DanetException.class, () -> call.accept(file));
            assertOneLineNaming(file, e);
            assertTrue(e.getMessage().contains(what), e.getMessage());
        }
    }

    private static void assertDecodeFails(Path file, String what) {
        for (Consumer<Path> call : DECODERS) {
            DanetException e = assertThrows(DanetException.class, () -> call.accept(file));
            assertOneLineNaming(file, e);
            assertTrue(e.getMessage().contains(what), e.getMessage());
        }
    }

    private static int[] pixel(RgbImage image, int x, int y) {
        return new int[] {image.red(x, y), image.green(x, y), image.blue(x, y)};
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xff;
        }
        return out;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] cut(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }

    private static BufferedImage noise(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static byte[] noisePng(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noise(w, h, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return out.toByteArray();
    }

    private static byte[] noiseJpeg(int w, int h, boolean gray, boolean progressive) throws IOException {
        BufferedImage image = noise(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Offset of the first FF xx marker at or after from, or -1. */
    private static int indexOfMarker(byte[] jpeg, int marker, int from) {
        for (int i = Math.max(from, 0); i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
                return i;
            }
        }
        return -1;
    }

    /** End of the first PNG chunk that ends after offset, so the cut keeps whole chunks. */
    private static int chunkEndAfter(byte[] png, int offset) {
        int pos = 8;
        while (pos < png.length) {
            int length = ByteBuffer.wrap(png, pos, 4).getInt();
            int end = pos + 12 + length;
            String type = new String(png, pos + 4, 4, StandardCharsets.US_ASCII);
            if (end > offset && type.equals("IDAT")) {
                return end;
            }
            pos = end;
        }
        throw new AssertionError("no IDAT chunk after " + offset);
    }

    /** The same PNG with its compressed data re-split into IDAT chunks of at most size bytes. */
    private static byte[] splitIdat(byte[] png, int size) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        int pos = 8;
        while (pos < png.length) {
            int length = ByteBuffer.wrap(png, pos, 4).getInt();
            String type = new String(png, pos + 4, 4, StandardCharsets.US_ASCII);
            byte[] data = Arrays.copyOfRange(png, pos + 8, pos + 8 + length);
            if (type.equals("IDAT")) {
                idat.writeBytes(data);
            } else {
                if (type.equals("IEND")) {
                    byte[] all = idat.toByteArray();
                    for (int i = 0; i < all.length; i += size) {
                        chunk(out, "IDAT", Arrays.copyOfRange(all, i, Math.min(all.length, i + size)));
                    }
                }
                chunk(out, type, data);
            }
            pos += 12 + length;
        }
        return out.toByteArray();
    }

    /** A PNG whose IHDR claims width x height, with one tiny IDAT and IEND. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[100]);
        deflater.finish();
        byte[] buf = new byte[256];
        int n = deflater.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
