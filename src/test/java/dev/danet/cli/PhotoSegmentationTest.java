package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.data.ImageDecoder;
import dev.danet.data.LabelGrid;
import dev.danet.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real photo (tools/make_photo_fixture.py): `danet segment` with an
 * mmsegmentation-layout DANet checkpoint and no flags labels a real street JPEG as the PyTorch
 * pipeline does (PIL decode, the config's normalisation, the model on the whole image, scores
 * upsampled with align_corners=False, argmax). JPEG decoders and float32 round-off may differ on a
 * few pixels; at least 99.9% must agree.
 */
class PhotoSegmentationTest {

    private static final Path FIXTURE = Fixtures.ROOT.resolve("photo");

    @TempDir
    Path dir;

    @Test
    void segmentGivesPyTorchsLabelMapOnARealStreetPhoto() {
        Path out = dir.resolve("out");
        CliRunner.Result r = CliRunner.run("segment", "--weights", FIXTURE.resolve("model.pth").toString(),
                FIXTURE.resolve("leuven.jpg").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("mmseg recipe") && r.err().contains("whole image"),
                "the checkpoint's own test recipe is used: " + r.err());

        LabelGrid expected = ImageDecoder.readLabels(FIXTURE.resolve("expected_labels.png"));
        LabelGrid actual = ImageDecoder.readLabels(out.resolve("leuven_label.png"));
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        int[] want = expected.values();
        int[] got = actual.values();
        int same = 0;
        int[] classesSeen = new int[256];
        for (int i = 0; i < want.length; i++) {
            if (want[i] == got[i]) {
                same++;
            }
            classesSeen[want[i]]++;
        }
        double agreement = (double) same / want.length;
        System.out.printf("photo: %d x %d, %.5f of pixels agree (%d differ)%n", actual.width(), actual.height(),
                agreement, want.length - same);
        long distinct = java.util.Arrays.stream(classesSeen).filter(c -> c > 0).count();
        assertTrue(distinct >= 3, "the expected map uses several classes, so agreement means something");
        assertTrue(agreement >= 0.999, "only " + agreement + " of pixels agree with PyTorch");
    }
}
