package dev.eff.stdlib;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Initial parameter values, a pure function of (seed, full name, shape, init): each parameter draws from its own
 * generator, seeded by the model seed and its name, in row-major order. The values are written into the ND4J
 * array a chunk at a time, so a large table never exists as a Java array of its own size.
 */
final class InitialValues {

    /** Values drawn per chunk: 8 MB of doubles, large enough that the two ND4J calls per chunk cost little. */
    static final int CHUNK = 1 << 20;

    private InitialValues() {}

    static INDArray of(long seed, String fullName, long[] shape, Init init, DataType dtype) {
        return of(seed, fullName, shape, init, dtype, CHUNK);
    }

    /** The same values for every {@code chunk} size; tests use small chunks. */
    static INDArray of(long seed, String fullName, long[] shape, Init init, DataType dtype, int chunkSize) {
        INDArray out = Nd4j.create(dtype, shape);
        if (init instanceof Init.Zeros) return out;
        if (init instanceof Init.Ones) return out.assign(1);
        long n = out.length();
        INDArray flat = out.reshape(n);
        SplittableRandom rng = new SplittableRandom(streamSeed(seed, fullName));
        double[] chunk = new double[(int) Math.min(n, chunkSize)];
        for (long from = 0; from < n; from += chunk.length) {
            int len = (int) Math.min(chunk.length, n - from);
            for (int i = 0; i < len; i++) chunk[i] = draw(init, rng);
            // Cast by ND4J from double, as a whole-array castTo would, so the values do not depend on the chunking.
            flat.get(NDArrayIndex.interval(from, from + len)).assign(Nd4j.createFromArray(len == chunk.length ? chunk : Arrays.copyOf(chunk, len)));
        }
        return out;
    }

    private static double draw(Init init, SplittableRandom rng) {
        if (init instanceof Init.Normal normal) return rng.nextGaussian() * normal.std();
        if (init instanceof Init.Uniform uniform) {
            return uniform.limit() == 0 ? 0 : rng.nextDouble(-uniform.limit(), uniform.limit());
        }
        throw new IllegalArgumentException("unknown init " + init);
    }

    /** Mixes the model seed with a 64-bit FNV-1a hash of the name so each parameter has its own stream. */
    static long streamSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return seed * 0x9E3779B97F4A7C15L ^ h;
    }
}
