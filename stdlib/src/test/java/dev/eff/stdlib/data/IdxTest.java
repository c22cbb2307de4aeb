package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    private final Idx source = new Idx();
    @TempDir Path dir;

    /** Writes an unsigned-byte IDX file by hand, following the format description, not the reader. */
    static void writeIdx(Path p, int[] dims, int[] values, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) out.writeInt(d);
        for (int v : values) out.write(v);
        try (OutputStream f = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            f.write(bytes.toByteArray());
        }
    }

    private void writeSplit(String prefix, int[] pixels, int[] labels, int n, boolean gzip) throws IOException {
        writeIdx(dir.resolve(prefix + "-images.gz"), new int[] {n, 2, 3}, pixels, gzip);
        writeIdx(dir.resolve(prefix + "-labels"), new int[] {n}, labels, false);
    }

    private dev.eff.dsl.check.Args tiny(Object... more) {
        Object[] base = {"images", "train-images.gz", "labels", "train-labels", "testImages", "test-images.gz",
                "testLabels", "test-labels", "shape", List.of(1, 2, 3), "classes", 3};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        // later pairs override earlier ones
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < all.length; i += 2) m.put((String) all[i], all[i + 1]);
        return args(source, m.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
    }

    @Test
    void readsGzippedAndPlainFilesScaledToUnitRange() throws Exception {
        int[] train = {0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1};
        writeSplit("train", train, new int[] {2, 0}, 2, true);
        writeSplit("test", new int[] {7, 7, 7, 7, 7, 7}, new int[] {1}, 1, false);
        assertEquals("float[B, 1, 2, 3]", source.schema(tiny()).inputs().get(0).shape().describe());

        Dataset d = source.load(tiny(), "train", dir);
        assertEquals(2, d.size());
        var x = (Dataset.Floats) d.columns().get(0);
        assertArrayEquals(new long[] {1, 2, 3}, x.exampleShape());
        for (int i = 0; i < train.length; i++) assertEquals(train[i] / 255.0, x.values()[i], 1e-7);
        assertArrayEquals(new int[] {2, 0}, ((Dataset.Ints) d.labelColumn()).values());
        assertArrayEquals(new long[] {2, 1, 2, 3}, d.inputs().get(0).shape());

        Dataset t = source.load(tiny(), "test", dir);
        assertEquals(7 / 255.0, ((Dataset.Floats) t.columns().get(0)).at(0, 5), 1e-7);
    }

    @Test
    void headerIsCheckedAgainstTheDeclaredShape() throws Exception {
        writeSplit("train", new int[12], new int[] {0, 0}, 2, true);
        var e = assertThrows(DataException.class, () -> source.load(tiny("shape", List.of(1, 3, 2)), "train", dir));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[1, 3, 2]"), e.getMessage());
    }

    @Test
    void badLabelsCountsAndMissingFilesAreDataErrors() throws Exception {
        writeSplit("train", new int[12], new int[] {0, 3}, 2, true);
        var e = assertThrows(DataException.class, () -> source.load(tiny(), "train", dir));
        assertTrue(e.getMessage().contains("label 3 of example 1"), e.getMessage());

        writeIdx(dir.resolve("train-labels"), new int[] {3}, new int[] {0, 0, 0}, false);
        e = assertThrows(DataException.class, () -> source.load(tiny(), "train", dir));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());

        e = assertThrows(DataException.class, () -> source.load(tiny(), "test", dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().resolve("test-images.gz").toString()), e.getMessage());

        Files.write(dir.resolve("test-images.gz"), new byte[] {0, 0, 0x08, 3, 0, 0});
        writeIdx(dir.resolve("test-labels"), new int[] {1}, new int[] {0}, false);
        e = assertThrows(DataException.class, () -> source.load(tiny(), "test", dir));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
