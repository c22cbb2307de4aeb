package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private final FashionMnist source = new FashionMnist();

    @Test
    void schemaIsOneChannel28x28TenClasses() {
        var s = source.schema(args(source));
        assertEquals("float[B, 1, 28, 28]", s.inputs().get(0).shape().describe());
        assertEquals(10, s.classes());
    }

    @Test
    void missingFolderNamesItAndTheInstallCommand(@TempDir Path dir) {
        var e = assertThrows(DataException.class, () -> source.load(args(source, "dir", "nowhere"), "train", dir));
        assertTrue(e.getMessage().contains(dir.resolve("nowhere").toString()), e.getMessage());
        assertTrue(e.hint().contains("apt-get install dataset-fashion-mnist"), e.hint());
    }

    @Test
    void realFilesLoad() throws Exception {
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEFAULT_DIR)), "dataset-fashion-mnist is not installed");
        Dataset test = source.load(args(source), "test", Path.of("."));
        assertEquals(10_000, test.size());
        var x = (Dataset.Floats) test.columns().get(0);
        float min = 1, max = 0;
        for (float v : x.values()) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        int[] perClass = new int[10];
        for (int y : ((Dataset.Ints) test.labelColumn()).values()) perClass[y]++;
        for (int c : perClass) assertEquals(1000, c, "the test set is balanced");
        assertEquals(60_000, source.load(args(source), "train", Path.of(".")).size());
    }

    @Test
    void holdoutMakesTheLastTrainingImagesAHeldoutSplitThatTrainNoLongerHolds() throws Exception {
        assertEquals(java.util.List.of("train", "test"), source.schema(args(source)).splits());
        assertEquals(java.util.List.of("train", "heldout", "test"), source.schema(args(source, "holdout", 100L)).splits());
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEFAULT_DIR)), "dataset-fashion-mnist is not installed");
        Dataset all = source.load(args(source), "train", Path.of("."));
        Dataset train = source.load(args(source, "holdout", 100L), "train", Path.of("."));
        Dataset held = source.load(args(source, "holdout", 100L), "heldout", Path.of("."));
        assertEquals(59_900, train.size());
        assertEquals(100, held.size());
        float[] pixels = ((Dataset.Floats) all.columns().get(0)).values(), last = ((Dataset.Floats) held.columns().get(0)).values();
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(pixels, 59_900 * 784, 60_000 * 784), last));
        assertEquals(10_000, source.load(args(source, "holdout", 100L), "test", Path.of(".")).size());
    }
}
