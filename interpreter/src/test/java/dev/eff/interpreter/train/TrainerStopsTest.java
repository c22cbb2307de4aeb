package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.Adam;
import dev.eff.stdlib.optim.Sgd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** How a run ends early: a stop request (Ctrl-C), an exploding loss, a length that cannot be trained. */
class TrainerStopsTest {

    @Test
    void aStopRequestEndsTheRunAfterTheCurrentStepWithAFinalCheckpoint(@TempDir Path dir) throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        Path ckpt = dir.resolve("runs/mlp.sd");
        StopFlag stop = new StopFlag();
        List<Long> steps = new ArrayList<>(), saved = new ArrayList<>();
        var e = assertThrows(TrainingInterrupted.class, () -> new Trainer(stop).train(m, Fixtures.blobs(32, 1),
                Fixtures.plan(new Adam(), Map.of(), 8, 1000, 0, ckpt, 0), new TrainListener() {
                    @Override public void step(long step, long total, double loss, long seen, double seconds) {
                        steps.add(step);
                        if (step == 3) stop.request();
                    }

                    @Override public void checkpointed(long step, Path path) { saved.add(step); }
                }));
        assertEquals(List.of(1L, 2L, 3L), steps, "the step under way finishes, no other starts");
        assertEquals(List.of(3L), saved);
        assertEquals(ckpt, e.checkpoint());
        assertTrue(CheckpointFiles.isCheckpoint(ckpt), "a loadable checkpoint of the weights after step 3");
        assertTrue(e.getMessage().contains("after step 3 of 1000"), e.getMessage());
    }

    @Test
    void aStopRequestWithoutACheckpointSettingWritesNone() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 5);
        StopFlag stop = new StopFlag();
        stop.request();
        var e = assertThrows(TrainingInterrupted.class, () -> new Trainer(stop).train(m, Fixtures.blobs(32, 1),
                Fixtures.plan(new Adam(), Map.of(), 8, 10, 0, null, 0), TrainListener.NONE));
        assertNull(e.checkpoint());
    }

    @Test
    void aLossThatExplodesFarAboveItsStartStopsTheRunAsDiverged() {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 9);
        List<Double> losses = new ArrayList<>();
        // Labels unrelated to the inputs: no weights fit them, so a huge step size leaves a huge (finite) loss.
        Dataset blobs = Fixtures.blobs(64, 2);
        int[] labels = new java.util.Random(3).ints(64, 0, 3).toArray();
        Dataset noise = new Dataset(blobs.inputs(), Nd4j.createFromArray(labels));
        var e = assertThrows(TrainingDiverged.class, () -> new Trainer().train(m, noise,
                Fixtures.plan(new Sgd(), Map.of("lr", new Value.Float(1e6), "momentum", new Value.Float(0)), 16, 300, 0, null, 0),
                new TrainListener() {
                    @Override public void step(long step, long total, double loss, long seen, double seconds) { losses.add(loss); }
                }));
        assertTrue(e.step() < 300, "stopped at step " + e.step() + " of 300; losses " + losses);
        assertTrue(e.getMessage().startsWith("training diverged: the loss is") && e.getMessage().contains("up from"), e.getMessage());
        assertEquals(Fixtures.SPAN, e.span());
        assertTrue(e.hint().contains("lower the learning rate"), e.hint());
    }

    @Test
    void theExplosionRuleIgnoresASpikeAndTripsOnASustainedRise() throws Exception {
        LossWatch watch = new LossWatch(Fixtures.SPAN);
        watch.observe(1, 2.3);
        for (int i = 0; i < LossWatch.SUSTAINED - 1; i++) watch.observe(2 + i, 5000);
        watch.observe(10, 2.0);
        for (int i = 0; i < LossWatch.SUSTAINED - 1; i++) watch.observe(11 + i, 1e9);
        var e = assertThrows(TrainingDiverged.class, () -> watch.observe(20, 1e9));
        assertEquals(20, e.step());
        assertTrue(e.getMessage().contains("up from 2.300 at step 1"), e.getMessage());
    }

    @Test
    void theExplosionRuleScalesWithTheStartingLoss() throws Exception {
        LossWatch large = new LossWatch(Fixtures.SPAN), tiny = new LossWatch(Fixtures.SPAN);
        large.observe(1, 1e4);
        tiny.observe(1, 0.01);
        for (int i = 2; i < 40; i++) {
            large.observe(i, 9e5);   // below 100 × 1e4
            tiny.observe(i, 40);      // below 0.01 + 50
        }
    }

    @Test
    void epochsTimesBatchesBeyondTheStepLimitIsAFailureAtTheTrainStatementNotAnOverflow() {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(0), 9);
        var plan = new TrainPlan(1, 0, Integer.MAX_VALUE, 0, new Adam(), Fixtures.args(new Adam().signature(), Map.of()),
                null, 0, Fixtures.SPAN);
        var e = assertThrows(RunFailure.class, () -> new Trainer().train(m, Fixtures.blobs(60, 2), plan, TrainListener.NONE));
        assertEquals(Fixtures.SPAN, e.span());
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    @Test
    void theLossLogGrowsWithTheRunAndThinsOutPastItsCapacity() {
        LossLog log = new LossLog();
        long n = 3L * LossLog.CAPACITY + 5;
        for (long i = 0; i < n; i++) log.add(i);
        assertEquals(n, log.steps());
        assertEquals(4, log.every());
        double[] v = log.values();
        assertTrue(v.length <= LossLog.CAPACITY, "at most the capacity: " + v.length);
        for (int i = 0; i < v.length; i++) assertEquals(4.0 * i, v[i], "the loss of step " + (4 * i));
        assertEquals(n - 1, log.last());
    }
}
