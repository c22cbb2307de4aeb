package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Value;
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
    void defaultIsOneQueryWithOneLabelPerSequence() throws Exception {
        var explicit = args(source, "vocab", 16, "pairs", 4, "queries", 1, "examples", 20);
        var implicit = args(source, "vocab", 16, "pairs", 4, "examples", 20);
        assertEquals("int[B]", source.schema(explicit).label().shape().describe());
        assertEquals(new Value.Int(1), source.signature().params().stream().filter(p -> p.name().equals("queries"))
                .findFirst().orElseThrow().defaultValue());
        Dataset a = source.load(explicit, "train", here), b = source.load(implicit, "train", here);
        assertArrayEquals(((Dataset.Ints) a.columns().get(0)).values(), ((Dataset.Ints) b.columns().get(0)).values());
        assertArrayEquals(((Dataset.Ints) a.labelColumn()).values(), ((Dataset.Ints) b.labelColumn()).values());
    }

    @Test
    void multiQuerySchemaLabelsEveryPosition() throws Exception {
        DataSchema s = source.schema(args(source, "vocab", 32, "pairs", 8, "queries", 8));
        assertEquals("int[B, 24]", s.inputs().get(0).shape().describe());
        assertEquals("int[B, 24]", s.label().shape().describe());
        assertEquals(32, s.classes());
        var e = assertThrows(ShapeException.class, () -> source.schema(args(source, "pairs", 4, "queries", 5)));
        assertTrue(e.hint().contains("queries ≤ 4"), e.hint());
    }

    @Test
    void multiQueryLabelsAreTheBoundValuesAtQueryPositionsOnly() throws Exception {
        int vocab = 16, pairs = 5, queries = 3, half = vocab / 2, len = 2 * pairs + queries;
        Dataset d = source.load(args(source, "vocab", vocab, "pairs", pairs, "queries", queries, "examples", 400), "train", here);
        var tokens = (Dataset.Ints) d.columns().get(0);
        var labels = (Dataset.Ints) d.labelColumn();
        assertArrayEquals(new long[] {len}, labels.exampleShape());
        Set<Integer> queriedPairs = new HashSet<>();
        for (int e = 0; e < d.size(); e++) {
            for (int t = 0; t < 2 * pairs; t++) assertEquals(-1, labels.at(e, t), "no label inside the pairs");
            Set<Integer> keys = new HashSet<>(), queried = new HashSet<>();
            for (int p = 0; p < pairs; p++) {
                assertTrue(tokens.at(e, 2 * p) < half && tokens.at(e, 2 * p + 1) >= half);
                assertTrue(keys.add(tokens.at(e, 2 * p)), "keys are distinct");
            }
            for (int i = 0; i < queries; i++) {
                int at = 2 * pairs + i, query = tokens.at(e, at), bound = -1;
                for (int p = 0; p < pairs; p++) if (tokens.at(e, 2 * p) == query) { bound = tokens.at(e, 2 * p + 1); queriedPairs.add(p); }
                assertTrue(bound >= half, "the query is one of the keys");
                assertEquals(bound, labels.at(e, at));
                assertTrue(queried.add(query), "queries are distinct");
            }
        }
        assertEquals(pairs, queriedPairs.size(), "every pair position gets queried");
        assertArrayEquals(new long[] {400, len}, d.labels().shape());
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

    @Test
    void sizesBeyondAJavaArrayAreSchemaErrors() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.eff.dsl.check.ShapeException.class,
                () -> source.schema(args(source, "vocab", 3_000_000_000L, "pairs", 1_000_000, "examples", 5000)));
        assertTrue(e.getMessage().startsWith("vocab = 3,000,000,000 is too large"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(dev.eff.dsl.check.ShapeException.class,
                () -> source.schema(args(source, "vocab", 2_000_000, "pairs", 1_000_000, "examples", 5000)));
        assertTrue(e.getMessage().contains("makes 10,000,005,000 tokens"), e.getMessage());
    }
}
