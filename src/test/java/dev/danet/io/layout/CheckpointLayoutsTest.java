package dev.danet.io.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.io.TestRecipe;
import dev.danet.io.TensorData;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layout recognition, key renaming and what is read from mmsegmentation's meta. */
class CheckpointLayoutsTest {

    private static TensorData scalar(String name) {
        return new TensorData(name, "float32", new long[0], ByteBuffer.allocate(4));
    }

    private static Map<String, TensorData> keys(String... names) {
        Map<String, TensorData> map = new LinkedHashMap<>();
        for (String n : names) {
            map.put(n, scalar(n));
        }
        return map;
    }

    @Test
    void eachLayoutIsRecognisedByItsKeys() {
        assertEquals(CheckpointLayouts.REFERENCE_DANET, CheckpointLayouts.detect(
                keys("pretrained.conv1.weight", "head.sa.gamma"), "f"));
        assertEquals(CheckpointLayouts.MMSEG, CheckpointLayouts.detect(
                keys("backbone.stem.0.weight", "decode_head.conv_seg.weight"), "f"));
        assertEquals(CheckpointLayouts.TORCHVISION_FCN, CheckpointLayouts.detect(
                keys("backbone.conv1.weight", "classifier.4.weight"), "f"));
        assertEquals(CheckpointLayouts.TORCHVISION_RESNET, CheckpointLayouts.detect(
                keys("conv1.weight", "layer1.0.conv1.weight", "fc.weight"), "f"));
        assertEquals(CheckpointLayouts.MMSEG_BACKBONE, CheckpointLayouts.detect(
                keys("stem.0.weight", "layer1.0.conv1.weight"), "f"));
    }

    @Test
    void anUnknownLayoutNamesTheKeysFoundAndTheLayoutsKnown() {
        DanetException e = assertThrows(DanetException.class,
                () -> CheckpointLayouts.detect(keys("encoder.blocks.0.attn.qkv.weight", "decoder.head.weight"), "x.pth"));
        assertTrue(e.getMessage().startsWith("x.pth: unknown checkpoint layout"), e.getMessage());
        assertTrue(e.getMessage().contains("encoder.blocks.0.attn.qkv.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("mmsegmentation") && e.getMessage().contains("torchvision"), e.getMessage());
    }

    @Test
    void deepLabIsRefusedByName() {
        DanetException e = assertThrows(DanetException.class, () -> CheckpointLayouts.detect(
                keys("backbone.conv1.weight", "classifier.0.convs.0.0.weight"), "deeplab.pth"));
        assertTrue(e.getMessage().contains("DeepLabV3"), e.getMessage());
    }

    @Test
    void mmsegKeysMapOntoTheProjectsNames() {
        Map<String, TensorData> renamed = CheckpointLayouts.MMSEG.toProjectNames(keys(
                "backbone.stem.0.weight", "backbone.stem.7.running_var", "backbone.layer4.2.bn3.bias",
                "decode_head.pam_in_conv.conv.weight", "decode_head.pam.query_project.bias",
                "decode_head.pam.gamma.scale", "decode_head.cam.gamma.scale", "decode_head.conv_seg.weight",
                "decode_head.cam_conv_seg.bias", "auxiliary_head.convs.0.bn.weight", "auxiliary_head.conv_seg.weight",
                "decode_head.something_new.weight"));
        assertEquals(List.of("pretrained.conv1.0.weight", "pretrained.bn1.running_var", "pretrained.layer4.2.bn3.bias",
                "head.conv5a.0.weight", "head.sa.query_conv.bias", "head.sa.gamma", "head.sc.gamma",
                "head.conv8.1.weight", "head.conv7.1.bias", "auxlayer.conv5.1.weight", "auxlayer.conv5.4.weight",
                "decode_head.something_new.weight"), List.copyOf(renamed.keySet()));
        assertEquals(1, renamed.get("head.sa.gamma").shape().length, "0-dim scales become 1-element tensors");
    }

    @Test
    void mmsegFcnHeadKeysFollowItsStyle() {
        Map<String, TensorData> concat = CheckpointLayouts.MMSEG.toProjectNames(keys("decode_head.convs.1.conv.weight",
                "decode_head.conv_cat.bn.weight", "decode_head.conv_seg.weight"));
        assertEquals(List.of("head.convs.1.0.weight", "head.conv_cat.1.weight", "head.conv_seg.1.weight"),
                List.copyOf(concat.keySet()));
        Map<String, TensorData> single = CheckpointLayouts.MMSEG.toProjectNames(keys("decode_head.convs.0.conv.weight",
                "decode_head.conv_seg.weight"));
        assertEquals(List.of("head.conv5.0.weight", "head.conv5.4.weight"), List.copyOf(single.keySet()));
    }

    @Test
    void mmsegMetaGivesClassesPaletteAndTheConfigsSettings() {
        String config = "model = dict(\n    decode_head=dict(type='DAHead', num_classes=2,\n"
                + "        loss_decode=dict(type='CrossEntropyLoss'), align_corners=True),\n"
                + "    auxiliary_head=dict(align_corners=False),\n"
                + "    test_cfg=dict(mode='slide', crop_size=(769, 769), stride=(513, 513)))\n"
                + "img_norm_cfg = dict(mean=[127.5, 127.5, 127.5], std=[63.75, 63.75, 63.75], to_rgb=True)\n"
                + "test_pipeline = [dict(type='MultiScaleFlipAug', img_scale=(2049, 1025), flip=False,\n"
                + "    transforms=[dict(type='Resize', keep_ratio=True)])]\n"
                + "data = dict(train=dict(pipeline=[dict(type='LoadAnnotations', reduce_zero_label=True)]))\n";
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("CLASSES", List.of("road", "sky"));
        meta.put("PALETTE", List.of(List.of(128, 64, 128), List.of(70, 130, 180)));
        meta.put("config", config);
        MmsegMeta read = MmsegMeta.read(meta);
        assertEquals(List.of("road", "sky"), read.classNames());
        assertEquals(0x4682b4, read.palette()[1]);
        assertEquals(Boolean.TRUE, read.alignCorners(), "the decode head's, not the auxiliary head's");
        assertEquals(TestRecipe.slide(769, 513).withResize(2049, 1025), read.testRecipe());
        assertEquals(0.5f, read.normalization().mean()[0], 1e-6f);
        assertEquals(0.25f, read.normalization().std()[2], 1e-6f);
        assertEquals(Boolean.TRUE, read.reduceZeroLabel());
    }

    @Test
    void mmseg1xMetaIsReadFromDatasetMetaAndCfg() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dataset_meta", Map.of("classes", List.of("a", "b", "c"),
                "palette", List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9))));
        meta.put("cfg", "model = dict(decode_head=dict(align_corners=False), test_cfg=dict(mode='whole'))\n"
                + "test_pipeline = [dict(type='Resize', scale=(2048, 512), keep_ratio=True)]\n");
        MmsegMeta read = MmsegMeta.read(meta);
        assertEquals(List.of("a", "b", "c"), read.classNames());
        assertEquals(0x070809, read.palette()[2]);
        assertEquals(Boolean.FALSE, read.alignCorners());
        assertEquals(TestRecipe.WHOLE.withResize(2048, 512), read.testRecipe());
        assertNull(read.normalization());
        assertNull(read.reduceZeroLabel());
    }

    @Test
    void anEmptyMetaSaysNothing() {
        assertTrue(MmsegMeta.read(Map.of()).isEmpty());
    }
}
