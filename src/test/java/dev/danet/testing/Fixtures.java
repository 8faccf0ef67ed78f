package dev.danet.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.io.Npy;
import dev.danet.io.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Golden fixtures written by tools/make_parity_fixtures.py, and the error measure. */
public final class Fixtures {

    public static final Path ROOT = Path.of("src/test/resources/fixtures");

    private Fixtures() {}

    public static Path model(String name) {
        return ROOT.resolve("model").resolve(name);
    }

    public static JsonNode config(Path fixture) {
        try {
            return new ObjectMapper().readTree(Files.readString(fixture.resolve("config.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture .npy as an NDArray of the given type. */
    public static NDArray array(NDManager manager, Path file, DataType type) {
        TensorData t = Npy.read(file);
        return manager.create(t.toDoubles(), new Shape(t.shape())).toType(type, false);
    }

    /** ||actual - expected|| / ||expected||, in float64, after checking the shapes agree. */
    public static double relativeL2(NDArray actual, Path expectedFile) {
        TensorData expected = Npy.read(expectedFile);
        if (!Arrays.equals(actual.getShape().getShape(), expected.shape())) {
            throw new AssertionError(expectedFile + ": shape " + actual.getShape() + " vs expected "
                    + expected.shapeString());
        }
        double[] e = expected.toDoubles();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (a[i] - e[i]) * (a[i] - e[i]);
            norm += e[i] * e[i];
        }
        return Math.sqrt(diff / norm);
    }
}
