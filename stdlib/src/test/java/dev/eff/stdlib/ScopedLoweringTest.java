package dev.eff.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.testing.Plain;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ScopedLoweringTest {

    private static final Shape SHAPE = Shape.batch(DType.FLOAT, 4);

    private static ScopedLowering lowering(SameDiff sd, String scope, long seed) {
        return new ScopedLowering(sd, scope, SHAPE, SHAPE, seed, DataType.FLOAT, sd.placeHolder(scope + "/training", DataType.FLOAT));
    }

    @Test
    void parametersAreNamedByScopeAndTypedByDtype() {
        SameDiff sd = SameDiff.create();
        var p = new ScopedLowering(sd, "block1/dense", SHAPE, SHAPE, 1, DataType.DOUBLE, null)
                .param("W", new long[] {3, 2}, Init.ONES);
        assertEquals("block1/dense/W", p.name());
        assertEquals(DataType.DOUBLE, p.dataType());
        assertEquals(6.0, p.getArr().sumNumber().doubleValue());
    }

    @Test
    void initialValuesDependOnSeedAndNameNotOnCreationOrder() {
        SameDiff first = SameDiff.create(), second = SameDiff.create();
        var a1 = lowering(first, "m", 7).param("a", new long[] {5, 5}, new Init.Normal(1)).getArr();
        var b1 = lowering(first, "m", 7).param("b", new long[] {5, 5}, new Init.Normal(1)).getArr();
        var b2 = lowering(second, "m", 7).param("b", new long[] {5, 5}, new Init.Normal(1)).getArr();
        var a2 = lowering(second, "m", 7).param("a", new long[] {5, 5}, new Init.Normal(1)).getArr();
        assertEquals(a1, a2);
        assertEquals(b1, b2);
        assertNotEquals(a1, b1);
        assertNotEquals(a1, lowering(SameDiff.create(), "m", 8).param("a", new long[] {5, 5}, new Init.Normal(1)).getArr());
    }

    @Test
    void drawsFromTheRequestedDistribution() {
        double[] normal = Plain.flat(ScopedLowering.initialValue(3, "n", new long[] {200, 100}, new Init.Normal(0.5), DataType.DOUBLE));
        double mean = Arrays.stream(normal).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(normal).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        assertEquals(0, mean, 0.02);
        assertEquals(0.5, std, 0.01);
        double[] uniform = Plain.flat(ScopedLowering.initialValue(3, "u", new long[] {20000}, new Init.Uniform(0.3), DataType.DOUBLE));
        assertTrue(Arrays.stream(uniform).allMatch(v -> v >= -0.3 && v < 0.3));
        assertEquals(0.3 * 0.3 / 3, Arrays.stream(uniform).map(v -> v * v).average().orElseThrow(), 0.002);
        INDArray zeros = ScopedLowering.initialValue(3, "z", new long[] {4}, Init.ZEROS, DataType.FLOAT);
        assertEquals(0.0, zeros.sumNumber().doubleValue());
        assertEquals(DataType.FLOAT, zeros.dataType());
    }

    @Test
    void loweringTheSameScopeAgainSharesParameters() {
        SameDiff sd = SameDiff.create();
        var w = lowering(sd, "m", 1).param("W", new long[] {2, 2}, Init.ONES);
        assertSame(w, new ScopedLowering(sd, "m", SHAPE, SHAPE, 1, DataType.FLOAT, null).param("W", new long[] {2, 2}, Init.ONES));
        var clash = assertThrows(IllegalStateException.class,
                () -> new ScopedLowering(sd, "m", SHAPE, SHAPE, 1, DataType.FLOAT, null).param("W", new long[] {3, 2}, Init.ONES));
        assertTrue(clash.getMessage().contains("m/W"));
    }

    @Test
    void namesAreFreshWithinTheScope() {
        SameDiff sd = SameDiff.create();
        ScopedLowering ctx = lowering(sd, "s", 1);
        String first = ctx.name("mask"), second = ctx.name("mask");
        assertEquals("s/mask", first);
        assertNotEquals(first, second);
        sd.constant("s/out", 1.0);
        assertNotEquals("s/out", ctx.name("out"));
    }

    @Test
    void rejectsIntegerDtype() {
        assertThrows(IllegalArgumentException.class,
                () -> new ScopedLowering(SameDiff.create(), "s", SHAPE, SHAPE, 1, DataType.INT, null));
    }
}
