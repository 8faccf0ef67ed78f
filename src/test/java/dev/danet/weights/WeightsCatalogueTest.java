package dev.danet.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in catalogue is self-consistent, and names resolve or fail helpfully. */
class WeightsCatalogueTest {

    private final WeightsCatalogue catalogue = WeightsCatalogue.builtIn();

    @Test
    void theBuiltInCatalogueListsTheOfficialMmsegAndTorchvisionModels() {
        List<CatalogueEntry> entries = catalogue.entries();
        assertEquals(35, entries.size());
        assertEquals(1, count(CatalogueEntry.Layout.REFERENCE_DANET));
        assertEquals(32, count(CatalogueEntry.Layout.MMSEG));
        assertEquals(2, count(CatalogueEntry.Layout.TORCHVISION_FCN));
        Set<String> datasets = entries.stream().map(CatalogueEntry::dataset).collect(Collectors.toSet());
        assertEquals(Set.of("cityscapes", "ade20k", "voc-aug", "coco-voc"), datasets);
    }

    @Test
    void publishedFileNamesCarryTheHashPrefixThatIsChecked() {
        for (CatalogueEntry e : catalogue.entries()) {
            assertTrue(e.url().getScheme().equals("https"), e.name());
            if (e.manualDownload()) {
                assertNull(e.sha256(), e.name() + ": no hash is published for the Google Drive file");
                continue;
            }
            assertTrue(e.url().getPath().endsWith("/" + e.fileName()), e.name() + ": URL ends in the file name");
            // mmseg's publish_model.py and torchvision name files NAME-<first 8 hex of SHA-256>.pth
            String prefix = e.fileName().replaceAll(".*-([0-9a-f]{8})\\.pth$", "$1");
            assertEquals(8, prefix.length(), e.fileName());
            assertTrue(e.sha256().startsWith(prefix), e.name() + ": hash " + e.sha256() + " vs file name");
        }
    }

    @Test
    void recipesMatchTheirConfigs() {
        for (CatalogueEntry e : catalogue.entries()) {
            boolean slide = e.name().contains("769x769") || e.layout() == CatalogueEntry.Layout.REFERENCE_DANET;
            assertEquals(slide, e.recipe().mode() == PublishedRecipe.Mode.SLIDE, e.name());
            // mmseg's 769x769 configs and the reference upsample with align_corners=True, the rest with False
            assertEquals(slide, e.recipe().alignCorners(), e.name());
        }
        CatalogueEntry reference = catalogue.require("reference-danet-r101-cityscapes");
        assertTrue(reference.load().multiGrid(), "the authors' model was trained with multi-grid");
        assertEquals("slide 768/512, long side 2048, align_corners", reference.recipe().summary());
    }

    @Test
    void anUnknownNameSuggestsTheClosestOnes() {
        DanetException e = assertThrows(DanetException.class,
                () -> catalogue.require("mmseg-danet-r101-ade20k-512x512-80k"));
        assertTrue(e.getMessage().startsWith("unknown weights 'mmseg-danet-r101-ade20k-512x512-80k'; did you mean"
                + " mmseg-danet-r101-d8-ade20k-512x512-80k,"), e.getMessage());
        assertTrue(catalogue.closeNames("zzzz", 3).isEmpty(), "nothing close, nothing suggested");
        assertEquals("mmseg-fcn-r50-d8-voc-aug-512x512-20k",
                catalogue.require(" MMSEG-FCN-R50-D8-VOC-AUG-512X512-20K ").name(), "case and spaces do not matter");
    }

    @Test
    void aCatalogueFileWithABadEntryIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, """
                {"format": "danet-weights-catalogue", "version": 1, "entries": [
                  {"name": "x", "layout": "mmseg", "model": "danet", "backbone": "resnet50", "dataset": "d",
                   "classes": 3, "miou": {"singleScale": 1.0}, "recipe": {"mode": "whole", "alignCorners": false},
                   "url": "https://example.org/x.pth", "fileName": "x.pth", "sha256": "not-hex",
                   "load": {"outputStride": 8, "multiGrid": false}}]}""");
        DanetException e = assertThrows(DanetException.class, () -> WeightsCatalogue.read(file));
        assertTrue(e.getMessage().contains("\"x\"") && e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void aMirrorKeepsThePublishedPath() {
        CatalogueEntry mmseg = catalogue.require("mmseg-danet-r50-d8-cityscapes-512x1024-40k");
        Mirror mirror = Mirror.parse("http://10.0.0.5:8000/cache/");
        assertEquals(URI.create("http://10.0.0.5:8000/cache" + mmseg.url().getPath()), mirror.locate(mmseg));
        CatalogueEntry drive = catalogue.require("reference-danet-r101-cityscapes");
        assertEquals(URI.create("http://10.0.0.5:8000/cache/DANet101.pth.tar"), mirror.locate(drive));
        assertThrows(DanetException.class, () -> Mirror.parse("ftp://host/x"));
        assertFalse(catalogue.find("nope").isPresent());
    }

    private long count(CatalogueEntry.Layout layout) {
        return catalogue.entries().stream().filter(e -> e.layout() == layout).count();
    }
}
