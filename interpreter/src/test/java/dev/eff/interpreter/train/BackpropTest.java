package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

class BackpropTest {

    @Test
    void givesTheSameLossAndGradientsAsSameDiffsOwnCall() {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        Dataset d = Fixtures.blobs(12, 1);
        List<String> names = List.copyOf(m.parameters().keySet());
        var feed = m.feed(d.inputs(), d.labels(), true);
        var expected = m.sd().calculateGradientsAndOutputs(feed, List.of(m.loss()), names);
        Backprop backprop = new Backprop(m, names);
        for (int run = 0; run < 3; run++) {
            Backprop.Result r = backprop.run(m.feed(d.inputs(), d.labels(), true));
            assertEquals(expected.getOutputs().get(m.loss()).getDouble(0), r.loss(), 1e-6);
            assertEquals(names.size(), r.gradients().size());
            for (String n : names) {
                assertTrue(expected.getGradients().get(n).equalsWithEps(r.gradients().get(n), 1e-6), n + " in run " + run);
            }
        }
    }

    /** The cache must recycle between runs, and the session's released-array bookkeeping must not grow with them. */
    @Test
    void recyclesArraysAcrossRunsWithoutGrowingBookkeeping() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        Dataset d = Fixtures.blobs(12, 1);
        Backprop backprop = new Backprop(m, m.parameters().keySet());
        SameDiff grad = m.sd().getFunction("grad");
        int[] sizes = new int[10];
        for (int run = 0; run < sizes.length; run++) {
            backprop.run(m.feed(d.inputs(), d.labels(), true));
            sizes[run] = freedArrays(grad).size();
        }
        assertTrue(sizes[1] > 0, "the session released intermediates to its cache");
        // Kept across runs, the set would hold about ten runs' worth by the last one.
        int first = sizes[1], max = java.util.Arrays.stream(sizes).max().orElseThrow();
        assertTrue(max < 2 * first, "released ids are forgotten between runs: " + java.util.Arrays.toString(sizes));
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> freedArrays(SameDiff sd) throws Exception {
        Field sessions = SameDiff.class.getDeclaredField("sessions");
        sessions.setAccessible(true);
        InferenceSession s = ((Map<Long, InferenceSession>) sessions.get(sd)).get(Thread.currentThread().getId());
        Field freed = InferenceSession.class.getDeclaredField("freedArrays");
        freed.setAccessible(true);
        return (Set<Long>) freed.get(s);
    }
}
