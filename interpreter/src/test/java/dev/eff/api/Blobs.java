package dev.eff.api;

import java.util.Random;

/** Three Gaussian blobs in four dimensions, seeded: plain Java arrays as a host application has them. */
final class Blobs {
    final float[][] x;
    final int[] y;

    Blobs(int n, long seed) {
        Random r = new Random(seed);
        x = new float[n][4];
        y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i][j] = (float) ((j == y[i] ? 3 : 0) + r.nextGaussian() * 0.5);
        }
    }

    /** A classifier over the arrays x and y, with the hidden width a constant {@code width} the host passes in. */
    static final String SCRIPT = """
            data points = arrays(inputs = ["x"], label = "y", classes = 3, testFraction = 0.25, seed = 1)
            model net {
                dense(width, activation = relu)
                logits(3)
            }
            train net on points { optimizer = adam(lr = 0.01); batch = 32; steps = 60; seed = 1 }
            evaluate net on points.test { accuracy }
            """;
}
