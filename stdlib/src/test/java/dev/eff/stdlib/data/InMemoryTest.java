package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryTest {
    /** Ten examples: features [2, 3] whose first value is the example's index, token ids [4], class ids 0..2. */
    static final Dataset.Floats X;
    static final Dataset.Ints TOKENS = new Dataset.Ints(new int[40], new long[] {4});
    static final Dataset.Ints Y = new Dataset.Ints(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, new long[0]);

    static {
        float[] x = new float[60];
        for (int i = 0; i < 10; i++) x[i * 6] = i;
        X = new Dataset.Floats(x, new long[] {2, 3});
        TOKENS.values()[7] = 11;
    }

    private final InMemory source = new InMemory(Map.of("x", X, "tokens", TOKENS, "y", Y,
            "target", new Dataset.Floats(new float[10], new long[0])));

    @Test
    void theSchemaIsReadFromTheArrays() throws Exception {
        var s = source.schema(args(source, "inputs", List.of("x", "tokens"), "label", "y", "classes", 3));
        assertEquals("float[B, 2, 3]", s.inputs().get(0).shape().describe());
        assertEquals("int[B, 4]", s.inputs().get(1).shape().describe());
        assertEquals(12, s.inputs().get(1).vocab(), "one past the largest id");
        assertEquals("int[B]", s.label().shape().describe());
        assertEquals(3, s.classes());
        var regression = source.schema(args(source, "inputs", List.of("x"), "label", "target"));
        assertEquals("float[B, 1]", regression.label().shape().describe());
    }

    @Test
    void theSplitsPartitionTheExamplesInTheirOrderAsCsvDoes() throws Exception {
        var a = args(source, "inputs", List.of("x"), "label", "y", "classes", 3, "testFraction", 0.3, "seed", 4);
        Dataset train = source.load(a, "train", Path.of(".")), test = source.load(a, "test", Path.of("."));
        assertEquals(7, train.size());
        assertEquals(3, test.size());
        boolean[] held = Csv.testRows(10, 0.3, 4);
        Set<Integer> seen = new HashSet<>();
        for (Dataset d : List.of(train, test)) {
            float[] x = ((Dataset.Floats) d.columns().get(0)).values();
            int last = -1;
            for (int i = 0; i < d.size(); i++) {
                int example = (int) x[i * 6];
                assertTrue(example > last, "array order kept");
                last = example;
                assertEquals(d == test, held[example]);
                assertEquals(Y.values()[example], ((Dataset.Ints) d.labelColumn()).values()[i], "labels travel with their rows");
                seen.add(example);
            }
        }
        assertEquals(10, seen.size());
        assertArrayEquals(new long[] {1}, source.load(args(source, "inputs", List.of("x"), "label", "target"), "train", Path.of("."))
                .labelColumn().exampleShape(), "a scalar target per example becomes [1]");
    }

    @Test
    void mistakesAreReportedBeforeAnythingRuns() {
        String missing = assertThrows(ShapeException.class, () -> source.schema(args(source, "inputs", List.of("z"), "label", "y"))).getMessage();
        assertTrue(missing.contains("no array 'z' was passed in (passed: target, tokens, x, y)"), missing);
        assertTrue(assertThrows(ShapeException.class, () -> new InMemory().schema(args(new InMemory(), "inputs", List.of("x"), "label", "y")))
                .hint().contains("from the command line use csv"));
        assertThrows(ShapeException.class, () -> source.schema(args(source, "inputs", List.of("x"), "label", "target", "classes", 3)));
        assertThrows(ShapeException.class, () -> source.schema(args(source, "inputs", List.of("x"), "label", "y")), "int labels without classes");
        assertThrows(ShapeException.class, () -> source.schema(args(source, "inputs", List.of("y"), "label", "y", "classes", 3)));
        var shorter = new InMemory(Map.of("x", X, "y", new Dataset.Ints(new int[] {0, 1}, new long[0])));
        assertTrue(assertThrows(ShapeException.class, () -> shorter.schema(args(shorter, "inputs", List.of("x"), "label", "y", "classes", 2)))
                .getMessage().contains("holds 10 examples but the label array 'y' holds 2"));
        var negative = new InMemory(Map.of("t", new Dataset.Ints(new int[] {-1, 0}, new long[0]), "y", Y.select(new int[] {0, 1})));
        assertThrows(ShapeException.class, () -> negative.schema(args(negative, "inputs", List.of("t"), "label", "y", "classes", 3)));
        String id = assertThrows(DataException.class, () -> source.load(args(source, "inputs", List.of("x"), "label", "y", "classes", 2), "train", Path.of(".")))
                .getMessage();
        assertTrue(id.contains("label 2 of example 2 in array 'y' is not a class id in 0..1"), id);
    }
}
