package dev.eff.stdlib.losses;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite differences against SameDiff's gradients, in double precision, on tiny graphs. */
public final class GradientCheck {
    private GradientCheck() {}

    public static void assertGradients(SameDiff sd, Map<String, INDArray> placeholders, String loss, String... vars) {
        sd.setLossVariables(loss);
        Map<String, INDArray> grads = quietly(() -> sd.calculateGradients(placeholders, vars));
        double h = 1e-6;
        for (String v : vars) {
            INDArray w = sd.getVariable(v).getArr();
            INDArray g = grads.get(v);
            for (long i = 0; i < w.length(); i++) {
                double orig = w.getDouble(i);
                w.putScalar(i, orig + h);
                double up = value(sd, placeholders, loss);
                w.putScalar(i, orig - h);
                double down = value(sd, placeholders, loss);
                w.putScalar(i, orig);
                double numeric = (up - down) / (2 * h);
                double analytic = g.getDouble(i);
                double err = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
                assertTrue(err < 1e-5 || Math.abs(numeric - analytic) < 1e-9,
                        v + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
            }
        }
    }

    private static double value(SameDiff sd, Map<String, INDArray> ph, String loss) {
        return sd.output(ph, loss).get(loss).getDouble(0);
    }

    /** SameDiff prints one line per op the first time it builds gradients. */
    public static <T> T quietly(java.util.function.Supplier<T> body) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return body.get();
        } finally {
            System.setOut(out);
        }
    }
}
