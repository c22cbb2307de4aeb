package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongRecallTest {

    private final LongRecall source = new LongRecall();
    private final Path here = Path.of(".");

    @Test
    void schemaIsOneLongSequenceWithPerPositionLabels() throws Exception {
        var s = source.schema(args(source));
        assertEquals("int[B, 1024]", s.inputs().get(0).shape().describe());
        assertEquals("int[B, 1024]", s.label().shape().describe());
        assertEquals(32, s.classes());
        var keys = assertThrows(ShapeException.class, () -> source.schema(args(source, "vocab", 10, "pairs", 5)));
        assertTrue(keys.hint().contains("pairs ≤ 4"), keys.hint());
        var len = assertThrows(ShapeException.class, () -> source.schema(args(source, "length", 10, "pairs", 4, "queries", 4)));
        assertTrue(len.hint().contains("length ≥ 12"), len.hint());
    }

    @Test
    void queriesAtTheEndAskForValuesBoundAtTheStartAcrossTheGap() throws Exception {
        int length = 64, pairs = 5, queries = 3, vocab = 16;
        Dataset d = source.load(args(source, "length", length, "vocab", vocab, "pairs", pairs, "queries", queries,
                "examples", 300), "train", here);
        var tokens = (Dataset.Ints) d.columns().get(0);
        var labels = (Dataset.Ints) d.labelColumn();
        for (int e = 0; e < d.size(); e++) {
            Map<Integer, Integer> bound = new HashMap<>();
            for (int p = 0; p < pairs; p++) {
                int k = tokens.at(e, 2 * p), v = tokens.at(e, 2 * p + 1);
                assertTrue(k >= 1 && k < vocab / 2 && v >= vocab / 2 && v < vocab);
                assertEquals(null, bound.put(k, v), "keys are distinct");
            }
            for (int t = 2 * pairs; t < length - queries; t++) {
                assertEquals(LongRecall.FILLER, tokens.at(e, t));
                assertEquals(-1, labels.at(e, t));
            }
            Set<Integer> asked = new HashSet<>();
            for (int t = length - queries; t < length; t++) {
                int q = tokens.at(e, t);
                assertTrue(asked.add(q), "queries are distinct");
                assertEquals(bound.get(q), labels.at(e, t));
            }
            for (int t = 0; t < 2 * pairs; t++) assertEquals(-1, labels.at(e, t));
        }
    }

    @Test
    void splitsDifferAndTheSeedReproduces() throws Exception {
        var a = (Dataset.Ints) source.load(args(source, "length", 32, "examples", 20, "testExamples", 20), "train", here).columns().get(0);
        var b = (Dataset.Ints) source.load(args(source, "length", 32, "examples", 20, "testExamples", 20), "train", here).columns().get(0);
        var test = (Dataset.Ints) source.load(args(source, "length", 32, "examples", 20, "testExamples", 20), "test", here).columns().get(0);
        var other = (Dataset.Ints) source.load(args(source, "length", 32, "examples", 20, "seed", 8), "train", here).columns().get(0);
        for (int i = 0; i < 32; i++) assertEquals(a.at(0, i), b.at(0, i));
        assertNotEquals(java.util.Arrays.toString(row(a)), java.util.Arrays.toString(row(test)));
        assertNotEquals(java.util.Arrays.toString(row(a)), java.util.Arrays.toString(row(other)));
    }

    private static int[] row(Dataset.Ints column) {
        int[] r = new int[32];
        for (int i = 0; i < 32; i++) r[i] = column.at(0, i);
        return r;
    }
}
