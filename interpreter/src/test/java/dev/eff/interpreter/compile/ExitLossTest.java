package dev.eff.interpreter.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.layers.Calm;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CALM's training loss against a plain computation: the cross-entropy of every exit, computed in plain Java from
 * the logits of the model cut after that block (which has the same initial weights, as they depend only on the seed
 * and each variable's path), weighted as aggregationWeights says.
 */
class ExitLossTest {
    static final int T = 6, B = 3, LAYERS = 3;

    static Frontend.Result check(int aggregation) {
        return Frontend.check(new Source("calm.eff", """
                data corpus = charText(path = "/usr/share/games/fortunes/songs-poems", seqLen = %d)
                model exiting(layers = 3) {
                    embed(vocab = 256, dim = 8, position = learned)
                    repeat(layers) {
                        residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                        residual { layerNorm(); mlp(hidden = 16, activation = gelu) }
                    }
                    layerNorm()
                    exit(calm, delta = 0.1, aggregationWeights = %d)
                    logits(256)
                }
                model cut(layers = 1) {
                    embed(vocab = 256, dim = 8, position = learned)
                    repeat(layers) {
                        residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                        residual { layerNorm(); mlp(hidden = 16, activation = gelu) }
                    }
                    layerNorm()
                    logits(256)
                }
                train exiting on corpus { steps = 1 }
                train cut(layers = 1) on corpus { steps = 1 }
                train cut(layers = 2) on corpus { steps = 1 }
                train cut(layers = 3) on corpus { steps = 1 }
                """.formatted(T, aggregation)), Registry.standard(), Map.of());
    }

    @Test
    void theWeightsGrowWithDepthAsTheReferenceCodeNamesThem() {
        assertArrayEquals(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, Calm.weights(1, 3), 1e-12);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, Calm.weights(0, 3), 1e-12);
        assertArrayEquals(new double[] {1 / 7.0, 2 / 7.0, 4 / 7.0}, Calm.weights(-1, 3), 1e-12);
    }

    @Test
    void theTrainingLossIsTheWeightedAverageOfEveryExitsCrossEntropy() {
        for (int aggregation : new int[] {1, 0, -1}) {
            var r = check(aggregation);
            assertTrue(r.ok(), r.diagnostics().render());
            List<TrainJob> jobs = r.program().jobs().stream().map(j -> (TrainJob) j).toList();
            SplittableRandom random = new SplittableRandom(aggregation + 5);
            int[][] tokens = new int[B][T], labels = new int[B][T];
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    tokens[b][t] = random.nextInt(256);
                    labels[b][t] = random.nextInt(256);
                }
            }
            INDArray x = Nd4j.createFromArray(tokens), y = Nd4j.createFromArray(labels);
            ModelCompiler compiler = ModelCompiler.standard();
            TrainJob exiting = jobs.get(0);
            CompiledModel m = compiler.compile(exiting.model(), exiting.data().schema(), exiting.loss(), 11, DataType.DOUBLE);
            double loss = m.sd().output(m.feed(List.of(x), y, false), m.loss()).get(m.loss()).getDouble(0);

            double[] w = Calm.weights(aggregation, LAYERS);
            double plain = 0;
            for (int i = 0; i < LAYERS; i++) {
                ModelGraph cut = jobs.get(i + 1).model();
                CompiledModel f = compiler.forward(cut, jobs.get(i + 1).data().schema(), 11, DataType.DOUBLE);
                INDArray logits = f.sd().output(f.feed(List.of(x), null, false), f.output()).get(f.output());
                plain += w[i] * crossEntropy(logits, labels);
            }
            assertEquals(plain, loss, 1e-9 * Math.abs(plain), "aggregationWeights = " + aggregation);
        }
    }

    @Test
    void itsGradientsMatchFiniteDifferences() {
        gradients(3);
        gradients(0);
    }

    void gradients(int jobIndex) {
        var r = check(1);
        TrainJob exiting = (TrainJob) r.program().jobs().get(jobIndex);
        CompiledModel m = ModelCompiler.standard().compile(exiting.model(), exiting.data().schema(), exiting.loss(), 11, DataType.DOUBLE);
        SplittableRandom random = new SplittableRandom(3);
        int[][] tokens = new int[B][T], labels = new int[B][T];
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) { tokens[b][t] = random.nextInt(256); labels[b][t] = random.nextInt(256); }
        Map<String, INDArray> feed = m.feed(List.of(Nd4j.createFromArray(tokens)), Nd4j.createFromArray(labels), true);
        // block1's weights reach the loss through every exit, the head's through each exit's copy of it.
        List<String> wrt = m.sd().variables().stream().map(v -> v.name())
                .filter(n -> n.contains("block1/residual2/mlp/W1") || n.endsWith(")/logits/W") || n.endsWith(")/layerNorm/g")).toList();
        assertEquals(3, wrt.size(), "variables " + wrt);
        Map<String, INDArray> analytic = dev.eff.stdlib.testing.LayerHarness.quietly(() -> m.sd().calculateGradients(feed, wrt.toArray(String[]::new)));
        for (String name : wrt) {
            INDArray value = m.sd().getVariable(name).getArr();
            for (long i : random.longs(12, 0, value.length()).toArray()) {
                double orig = value.getDouble(i), h = 1e-6;
                value.putScalar(i, orig + h);
                double up = m.sd().output(feed, m.loss()).get(m.loss()).getDouble(0);
                value.putScalar(i, orig - h);
                double down = m.sd().output(feed, m.loss()).get(m.loss()).getDouble(0);
                value.putScalar(i, orig);
                double numeric = (up - down) / (2 * h), a = analytic.get(name).getDouble(i);
                assertEquals(numeric, a, 1e-8 + 1e-5 * Math.abs(numeric), name + "[" + i + "]");
            }
        }
    }

    /** The mean over examples and positions of -log softmax(z)[label], in plain loops. */
    static double crossEntropy(INDArray logits, int[][] labels) {
        double total = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 256; c++) max = Math.max(max, logits.getDouble(b, t, c));
                double sum = 0;
                for (int c = 0; c < 256; c++) sum += Math.exp(logits.getDouble(b, t, c) - max);
                total += -(logits.getDouble(b, t, labels[b][t]) - max - Math.log(sum));
            }
        }
        return total / (B * T);
    }
}
