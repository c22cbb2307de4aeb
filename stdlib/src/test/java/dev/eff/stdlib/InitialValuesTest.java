package dev.eff.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InitialValuesTest {

    /** The former whole-array draw: every value into one double[], then cast and reshaped. */
    private static INDArray wholeArrayDraw(long seed, String name, long[] shape, Init init, DataType dtype) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[Math.toIntExact(n)];
        SplittableRandom rng = new SplittableRandom(InitialValues.streamSeed(seed, name));
        for (int i = 0; i < values.length; i++) {
            values[i] = init instanceof Init.Normal g ? rng.nextGaussian() * g.std()
                    : init instanceof Init.Uniform u ? rng.nextDouble(-u.limit(), u.limit())
                    : init instanceof Init.Ones ? 1 : 0;
        }
        return Nd4j.createFromArray(values).castTo(dtype).reshape(shape);
    }

    @Test
    void chunkedInitialValuesEqualTheFormerWholeArrayDrawSoSeedsKeepTheirWeights() {
        long[] shape = {3, 5_001};   // with chunks of 1,000 values: 16 chunks, the last one partial
        for (DataType dtype : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            for (Init init : new Init[] {new Init.Normal(0.02), new Init.Uniform(0.3), Init.ONES, Init.ZEROS}) {
                INDArray chunked = InitialValues.of(11, "lm/embed/tokens", shape, init, dtype, 1_000);
                assertEquals(wholeArrayDraw(11, "lm/embed/tokens", shape, init, dtype), chunked, dtype + " " + init);
                assertEquals(dtype, chunked.dataType());
            }
        }
        assertEquals(wholeArrayDraw(5, "w", new long[] {300, 7}, new Init.Normal(1), DataType.FLOAT),
                ScopedLowering.initialValue(5, "w", new long[] {300, 7}, new Init.Normal(1), DataType.FLOAT), "one chunk, the default size");
    }
}
