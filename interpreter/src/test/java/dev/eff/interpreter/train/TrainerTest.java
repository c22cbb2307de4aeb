package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.Adam;
import dev.eff.stdlib.optim.AdamW;
import dev.eff.stdlib.optim.Sgd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {

    private static TrainResult run(long seed, long dataSeed, Map<String, Value> adam) throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        return new Trainer().train(m, Fixtures.blobs(60, dataSeed), Fixtures.plan(new Adam(), adam, 16, 40, seed, null, 0),
                TrainListener.NONE);
    }

    @Test
    void learnsAndIsReproducibleForTheSameSeed() throws Exception {
        Map<String, Value> adam = Map.of("lr", new Value.Float(0.05), "warmup", new Value.Int(5),
                "schedule", new Value.Symbol("cosine"));
        TrainResult a = run(3, 1, adam), b = run(3, 1, adam), c = run(4, 1, adam);
        assertArrayEquals(a.losses(), b.losses());
        assertFalse(java.util.Arrays.equals(a.losses(), c.losses()), "a different seed shuffles differently");
        assertEquals(40, a.steps());
        assertTrue(a.finalLoss() < 0.5 * a.losses()[0], "loss " + a.losses()[0] + " -> " + a.finalLoss());
        assertEquals(600, a.examples(), "batches of 16, 16, 16, 12 per epoch of 60: 40 steps are 10 epochs");
    }

    /** Zero inputs make the weight gradient exactly 0 and the bias gradient mean(softmax(b) − onehot(y)). */
    private static Dataset zeros(int[] labels) {
        return new Dataset(List.of(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, labels.length, 4)),
                Nd4j.createFromArray(labels));
    }

    private static double[] biasGradient(double[] b, int[] y) {
        double z = 0;
        for (double v : b) z += Math.exp(v);
        double[] g = new double[b.length];
        for (int label : y) for (int k = 0; k < b.length; k++) g[k] += (Math.exp(b[k]) / z - (k == label ? 1 : 0)) / y.length;
        return g;
    }

    @Test
    void adamwDecaysWeightMatricesOutsideTheGradientAndLeavesBiasesUndecayed() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 9);
        INDArray w0 = m.parameters().get("mlp/dense2/W").dup();
        double[] b0 = m.parameters().get("mlp/dense2/b").toDoubleVector();
        int[] y = {0, 2, 2, 1};
        double lr = 0.1, wd = 0.5, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        new Trainer().train(m, zeros(y), Fixtures.plan(new AdamW(), Map.of("lr", new Value.Float(lr),
                "weightDecay", new Value.Float(wd)), 4, 1, 0, null, 0), TrainListener.NONE);
        // W: gradient 0, so Adam's step is 0 and only the decoupled decay acts: W ← W − lr·wd·W.
        INDArray expectedW = w0.mul(1 - lr * wd);
        assertTrue(expectedW.equalsWithEps(m.parameters().get("mlp/dense2/W"), 1e-6), "decoupled decay of W");
        // b: first Adam step, no decay.
        double[] g = biasGradient(b0, y);
        double[] b = m.parameters().get("mlp/dense2/b").toDoubleVector();
        for (int k = 0; k < 3; k++) {
            double mk = (1 - b1) * g[k], vk = (1 - b2) * g[k] * g[k];
            double step = lr * Math.sqrt(1 - b2) / (1 - b1) * mk / (Math.sqrt(vk) + eps);
            assertEquals(b0[k] - step, b[k], 1e-5);
        }
    }

    @Test
    void clippingScalesTheWholeGradientToTheNormLimit() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 9);
        double[] b0 = m.parameters().get("mlp/dense2/b").toDoubleVector();
        int[] y = {0, 0, 0, 0};
        double[] g = biasGradient(b0, y);
        double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        double clip = norm / 4;
        new Trainer().train(m, zeros(y), Fixtures.plan(new Sgd(), Map.of("lr", new Value.Float(1.0),
                "momentum", new Value.Float(0.0), "clip", new Value.Float(clip)), 4, 1, 0, null, 0), TrainListener.NONE);
        double[] b = m.parameters().get("mlp/dense2/b").toDoubleVector();
        for (int k = 0; k < 3; k++) assertEquals(b0[k] - g[k] * clip / norm, b[k], 1e-6);
    }

    @Test
    void clipGlobalNormLeavesSmallGradientsAlone() {
        INDArray a = Nd4j.createFromArray(3.0, 0.0), b = Nd4j.createFromArray(4.0);
        assertEquals(5.0, Trainer.clipGlobalNorm(List.of(a, b), 10), 1e-12);
        assertArrayEquals(new double[] {3, 0}, a.toDoubleVector());
        Trainer.clipGlobalNorm(List.of(a, b), 1);
        assertArrayEquals(new double[] {0.6, 0}, a.toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {0.8}, b.toDoubleVector(), 1e-12);
    }

    @Test
    void nanLossStopsAtTheStepBeforeUpdating() {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 9);
        Dataset good = Fixtures.blobs(8, 2);
        INDArray x = good.inputs().get(0).dup();
        x.putScalar(new long[] {5, 1}, Float.NaN);
        Dataset bad = new Dataset(List.of(x), good.labels());
        INDArray wBefore = m.parameters().get("mlp/dense2/W").dup();
        var e = assertThrows(TrainingDiverged.class, () -> new Trainer().train(m, bad,
                Fixtures.plan(new Sgd(), Map.of("lr", new Value.Float(0.1)), 8, 3, 0, null, 0), TrainListener.NONE));
        assertEquals(1, e.step());
        assertEquals(Fixtures.SPAN, e.span());
        assertEquals(wBefore, m.parameters().get("mlp/dense2/W"), "the diverging step is not applied");
    }

    @Test
    void checkpointIsCompleteAndLoadable(@TempDir Path dir) throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        Path ckpt = dir.resolve("runs/mlp.sd");
        var seen = new java.util.ArrayList<Long>();
        new Trainer().train(m, Fixtures.blobs(32, 1), Fixtures.plan(new Adam(), Map.of(), 8, 5, 0, ckpt, 2),
                new TrainListener() {
                    @Override public void checkpointed(long step, Path path) { seen.add(step); }
                });
        assertEquals(List.of(2L, 4L, 5L), seen);
        SameDiff loaded = SameDiff.load(ckpt.toFile(), false);
        assertEquals(m.parameters().get("mlp/dense1/W"), loaded.getVariable("mlp/dense1/W").getArr());
        try (var files = Files.list(ckpt.getParent())) {
            assertEquals(List.of(ckpt, ResumeState.fileFor(ckpt)), files.sorted().toList(), "no temporary files left behind");
        }
    }

    @Test
    void aFailedCheckpointWriteKeepsThePreviousFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.ckpt");
        Checkpoints.write(target, f -> Files.writeString(f, "complete v1"));
        assertThrows(java.io.IOException.class, () -> Checkpoints.write(target, f -> {
            Files.writeString(f, "half");
            throw new java.io.IOException("disk full");
        }));
        assertEquals("complete v1", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file was removed");
        }
    }
}
