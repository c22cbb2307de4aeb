package dev.eff.stdlib.losses;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: forward+backward time of three cross-entropy lowerings on [N, C] logits, median of 15 after 5
 * warm-up runs. Only the first has a correct gradient in M2.1: the sparse op's backward ignores the upstream
 * gradient (its mean is N times too steep), and {@code logSoftmax(x, dim)} fails in createGradFunction
 * (LogSoftMax property cloning); the third row therefore uses logSoftmax without a dimension. Run with {@code mvn -q -o test-compile -pl stdlib -am} then
 * {@code java -cp stdlib/target/test-classes:stdlib/target/classes:$(cat cp.txt) dev.eff.stdlib.losses.CrossEntropyBench}.
 */
public final class CrossEntropyBench {

    public static void main(String[] a) {
        int n = 2048, c = a.length > 0 ? Integer.parseInt(a[0]) : 256;
        Random r = new Random(1);
        INDArray z = Nd4j.rand(DataType.FLOAT, n, c);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(c);
        Map<String, INDArray> ph = Map.of("labels", Nd4j.createFromArray(y));
        run("fused softmaxCrossEntropy(oneHot)", z, ph, c, (sd, l) -> sd.loss().softmaxCrossEntropy(
                sd.oneHot(l, c, -1, 1.0, 0.0, DataType.FLOAT), sd.getVariable("logits"), null,
                LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0));
        run("sparseSoftmaxCrossEntropy + mean", z, ph, c,
                (sd, l) -> sd.loss().sparseSoftmaxCrossEntropy(sd.getVariable("logits"), l).mean());
        run("logSoftmax * oneHot, sum, mean", z, ph, c, (sd, l) -> sd.nn().logSoftmax(sd.getVariable("logits"))
                .mul(sd.oneHot(l, c, -1, 1.0, 0.0, DataType.FLOAT)).sum(1).mean().neg());
    }

    private static void run(String what, INDArray z, Map<String, INDArray> ph, int c,
                            BiFunction<SameDiff, SDVariable, SDVariable> loss) {
        SameDiff sd = SameDiff.create();
        sd.var("logits", z.dup());
        SDVariable l = loss.apply(sd, sd.placeHolder("labels", DataType.INT32, -1));
        sd.setLossVariables(l.name());
        GradientCheck.quietly(() -> { sd.createGradFunction(); return null; });
        double[] t = new double[20];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            sd.calculateGradients(ph, "logits");
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        double[] tail = Arrays.copyOfRange(t, 5, t.length);
        Arrays.sort(tail);
        System.out.printf("%-36s C=%d  %.2f ms%n", what, c, tail[tail.length / 2]);
    }
}
