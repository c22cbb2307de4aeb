package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private final Comparison source = new Comparison();

    @Test
    void twoNamedInputs() throws Exception {
        var s = source.schema(args(source, "length", 5));
        assertEquals(List.of("left", "right"), s.inputs().stream().map(f -> f.name()).toList());
        assertEquals("int[B, 5]", s.inputs().get(1).shape().describe());
        assertEquals(2, s.classes());
    }

    @Test
    void labelSaysWhetherTheLeftSumIsGreater() throws Exception {
        int len = 3, vocab = 4;
        Dataset d = source.load(args(source, "length", len, "vocab", vocab, "examples", 1000), "train", Path.of("."));
        var l = (Dataset.Ints) d.columns().get(0);
        var r = (Dataset.Ints) d.columns().get(1);
        int ones = 0;
        for (int e = 0; e < d.size(); e++) {
            int sl = 0, sr = 0;
            for (int t = 0; t < len; t++) {
                assertTrue(l.at(e, t) >= 0 && l.at(e, t) < vocab && r.at(e, t) >= 0 && r.at(e, t) < vocab);
                sl += l.at(e, t);
                sr += r.at(e, t);
            }
            assertNotEquals(sl, sr, "ties are redrawn");
            assertEquals(sl > sr ? 1 : 0, ((Dataset.Ints) d.labelColumn()).at(e, 0));
            ones += sl > sr ? 1 : 0;
        }
        assertTrue(ones > 400 && ones < 600, "classes are balanced by symmetry: " + ones);
    }

    @Test
    void deterministic() throws Exception {
        var a = args(source, "examples", 20);
        assertArrayEquals(((Dataset.Ints) source.load(a, "train", Path.of(".")).columns().get(1)).values(),
                ((Dataset.Ints) source.load(a, "train", Path.of(".")).columns().get(1)).values());
    }

    @Test
    void sizesBeyondAJavaArrayAreSchemaErrorsNotNegativeArraySizes() {
        var e = assertThrows(ShapeException.class, () -> source.schema(args(source, "length", 50000, "examples", 50000)));
        assertTrue(e.getMessage().contains("examples = 50,000 × length = 50,000 makes 2,500,000,000 tokens per input"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> source.schema(args(source, "vocab", 3_000_000_000L)));
        assertTrue(e.getMessage().startsWith("vocab = 3,000,000,000 is too large"), e.getMessage());
        assertThrows(ShapeException.class, () -> source.schema(args(source, "length", Long.MAX_VALUE)));
    }

    @Test
    void schemaDeclaresTheIdRangeOfBothInputs() throws Exception {
        var s = source.schema(args(source, "vocab", 7));
        assertEquals(List.of(7L, 7L), s.inputs().stream().map(f -> f.vocab()).toList());
    }
}
