package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssociativeRecallTest {

    private final AssociativeRecall source = new AssociativeRecall();
    private final Path here = Path.of(".");

    @Test
    void schemaFollowsArguments() throws Exception {
        DataSchema s = source.schema(args(source, "pairs", 5, "vocab", 20));
        assertEquals("int[B, 11]", s.inputs().get(0).shape().describe());
        assertEquals("tokens", s.inputs().get(0).name());
        assertEquals("int[B]", s.label().shape().describe());
        assertEquals(20, s.classes());
        var e = assertThrows(ShapeException.class, () -> source.schema(args(source, "pairs", 11, "vocab", 20)));
        assertTrue(e.hint().contains("pairs ≤ 10"), e.hint());
    }

    @Test
    void everyLabelIsTheValueBoundToTheQueryKey() throws Exception {
        int vocab = 16, pairs = 6, half = vocab / 2;
        Dataset d = source.load(args(source, "vocab", vocab, "pairs", pairs, "examples", 500), "train", here);
        assertEquals(500, d.size());
        var tokens = (Dataset.Ints) d.columns().get(0);
        var labels = (Dataset.Ints) d.labelColumn();
        int len = 2 * pairs + 1;
        Set<Integer> seenLabels = new HashSet<>();
        for (int e = 0; e < d.size(); e++) {
            Set<Integer> keys = new HashSet<>();
            int query = tokens.at(e, len - 1), bound = -1;
            for (int p = 0; p < pairs; p++) {
                int k = tokens.at(e, 2 * p), v = tokens.at(e, 2 * p + 1);
                assertTrue(k >= 0 && k < half, "key in the first half");
                assertTrue(v >= half && v < vocab, "value in the second half");
                assertTrue(keys.add(k), "keys are distinct");
                if (k == query) bound = v;
            }
            assertTrue(bound >= 0, "the query is one of the keys");
            assertEquals(bound, labels.at(e, 0));
            seenLabels.add(labels.at(e, 0));
        }
        assertEquals(half, seenLabels.size(), "every value occurs as a label");
    }

    @Test
    void deterministicPerSeedAndSplitsDiffer() throws Exception {
        var a = args(source, "examples", 50, "testExamples", 50);
        int[] train1 = ((Dataset.Ints) source.load(a, "train", here).columns().get(0)).values();
        int[] train2 = ((Dataset.Ints) source.load(a, "train", here).columns().get(0)).values();
        int[] test = ((Dataset.Ints) source.load(a, "test", here).columns().get(0)).values();
        int[] other = ((Dataset.Ints) source.load(args(source, "examples", 50, "seed", 8), "train", here).columns().get(0)).values();
        assertArrayEquals(train1, train2);
        assertFalse(Arrays.equals(train1, test));
        assertFalse(Arrays.equals(train1, other));
    }

    @Test
    void toArraysAreInt32WithExampleShape() throws Exception {
        Dataset d = source.load(args(source, "pairs", 3, "vocab", 8, "examples", 4), "train", here);
        var x = d.inputs().get(0);
        assertEquals(org.nd4j.linalg.api.buffer.DataType.INT32, x.dataType());
        assertArrayEquals(new long[] {4, 7}, x.shape());
        assertArrayEquals(new long[] {4}, d.labels().shape());
        Dataset picked = d.select(new long[] {3, 1});
        assertEquals(d.labels().getInt(3), picked.labels().getInt(0));
        assertEquals(x.getRow(1), picked.inputs().get(0).getRow(1));
    }
}
