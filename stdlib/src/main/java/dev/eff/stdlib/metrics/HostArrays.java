package dev.eff.stdlib.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies a batch to plain Java arrays in row-major order: metrics accumulate on the host. */
final class HostArrays {
    private HostArrays() {}

    static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    static int[] ints(INDArray a) {
        return a.castTo(DataType.INT32).dup('c').data().asInt();
    }

    /** Scores as rows of {@code classes} values, one row per label. */
    static double[] scoreRows(INDArray output, int labels, long classes) {
        double[] z = doubles(output);
        if (z.length != labels * classes) {
            throw new IllegalArgumentException("output has " + z.length + " values for " + labels + " labels of "
                    + classes + " classes");
        }
        return z;
    }
}
