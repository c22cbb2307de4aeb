package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.run.ResumeException;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.AdamW;
import dev.eff.stdlib.optim.Sgd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ResumeTest {

    /** A stand-in for the process being killed right after a checkpoint. */
    static final class Killed extends RuntimeException {}

    static CheckedProgram program(long seed) {
        ModelGraph m = Fixtures.droppedMlp(0.3);
        Value.Call adamw = Fixtures.call("adamw", Fixtures.args(new AdamW().signature(), Map.of("lr", new Value.Float(0.02),
                "warmup", new Value.Int(3), "schedule", new Value.Symbol("cosine"))).values());
        var train = new TrainJob(Fixtures.SPAN, m, dev.eff.interpreter.run.RunnerTestAccess.BLOBS, "train", adamw, 16, 10, 0,
                Fixtures.crossEntropy(), seed, "ckpt/model.sd");
        return new CheckedProgram(Map.of(), Map.of("blobs", dev.eff.interpreter.run.RunnerTestAccess.BLOBS), Map.of(m.instance(), m),
                List.of(train));
    }

    static Runner.Options options(Path dir, boolean resume) {
        return new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 5, 0, resume);
    }

    static RunEvents killAfter(long step) {
        return new RunEvents() {
            @Override public TrainListener training(TrainJob job) {
                return new TrainListener() {
                    @Override public void checkpointed(long s, Path path) { if (s == step) throw new Killed(); }
                };
            }
        };
    }

    static Runner runner() { return new Runner(Fixtures.REGISTRY, Fixtures.COMPILER); }

    @Test
    void aRunResumedFromItsCheckpointHasTheUninterruptedLossesStepForStep(@TempDir Path whole, @TempDir Path cut) throws Exception {
        RunReport uninterrupted = runner().run(program(4), options(whole, false), RunEvents.NONE);
        assertThrows(Killed.class, () -> runner().run(program(4), options(cut, false), killAfter(5)));
        assertTrue(Files.exists(cut.resolve("ckpt/model.sd.resume")));
        long[] resumedAt = {-1};
        RunReport resumed = runner().run(program(4), options(cut, true), new RunEvents() {
            @Override public void resumed(TrainJob job, Path checkpoint, long step) { resumedAt[0] = step; }
        });
        assertEquals(5, resumedAt[0]);
        double[] expected = uninterrupted.jobs().get(0).losses(), actual = resumed.jobs().get(0).losses();
        assertEquals(10, actual.length);
        assertArrayEquals(expected, actual, 0, "bit for bit, dropout and warmup-cosine schedule included");
        ResumeState a = ResumeState.read(whole.resolve("ckpt/model.sd.resume")), b = ResumeState.read(cut.resolve("ckpt/model.sd.resume"));
        assertEquals(10, b.header().step());
        assertEquals(10, b.header().optimizerStep());
        a.variables().forEach((name, arr) -> assertEquals(arr, b.variables().get(name), name));
        a.optimizerState().forEach((name, arr) -> assertEquals(arr, b.optimizerState().get(name), "Adam moments of " + name));
    }

    @Test
    void seedZeroWithDropoutGivesTheSameLossesTwice(@TempDir Path one, @TempDir Path two) throws Exception {
        // ND4J seeds its generator from the clock when given 0; the default seed of a train statement is 0.
        double[] a = runner().run(program(0), options(one, false), RunEvents.NONE).jobs().get(0).losses();
        double[] b = runner().run(program(0), options(two, false), RunEvents.NONE).jobs().get(0).losses();
        assertArrayEquals(a, b, 0);
    }

    @Test
    void aCheckpointOfAnotherRunIsNotResumed(@TempDir Path dir) throws Exception {
        runner().run(program(4), options(dir, false), RunEvents.NONE);
        var e = assertThrows(ResumeException.class, () -> runner().run(program(5), options(dir, true), RunEvents.NONE));
        assertTrue(e.getMessage().endsWith("was written by another run: seed 4 there, 5 here"), e.getMessage());
    }

    @Test
    void aSecondStatementContinuesTheOptimizersStepCountSoWarmupIsNotRepeated() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 2);
        Dataset data = Fixtures.blobs(90, 1);
        Map<String, Value> sgd = Map.of("lr", new Value.Float(0.1), "momentum", new Value.Float(0), "warmup", new Value.Int(10));
        OptimizerState optimizer = new OptimizerState();
        Trainer trainer = new Trainer();
        trainer.train(m, data, Fixtures.plan(new Sgd(), sgd, 16, 5, 1, null, 0), optimizer, null, TrainListener.NONE);
        assertEquals(5, optimizer.step());

        // The second statement's first batch is the first batch of its own order; its update is lr(step 5) · g.
        Dataset batch = data.select(new BatchOrder(data.size(), 16, 1).next());
        List<String> names = List.copyOf(m.parameters().keySet());
        Map<String, INDArray> g = new Backprop(m, names).run(m.feed(batch.inputs(), batch.labels(), true)).gradients();
        Map<String, INDArray> grads = new java.util.LinkedHashMap<>();
        g.forEach((k, v) -> grads.put(k, v.dup()));
        Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        m.parameters().forEach((k, v) -> before.put(k, v.dup()));
        trainer.train(m, data, Fixtures.plan(new Sgd(), sgd, 16, 1, 1, null, 0), optimizer, null, TrainListener.NONE);
        assertEquals(6, optimizer.step());
        double lrAtStep5 = 0.1 * 6 / 10;
        for (String n : names) {
            INDArray step = before.get(n).sub(m.parameters().get(n));
            assertTrue(step.equalsWithEps(grads.get(n).mul(lrAtStep5), 1e-6), n + ": the rate of step 6 of warmup, not of step 1");
        }
    }

    @Test
    void anotherOptimizerStartsAfresh() {
        OptimizerState s = new OptimizerState();
        s.use("adam");
        s.advance();
        s.use("adam");
        assertEquals(1, s.step());
        s.use("sgd");
        assertEquals(0, s.step());
    }
}
