package dev.eff.interpreter.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.Frontend;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The planned executor computes what SameDiff's session computes, recycles its arrays, and knows its limits. */
class PlannedExecutorTest {

    /** A transformer language model's training graph: loss, every gradient and the output, forward and backward. */
    private static CompiledModel transformer(Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("lm.eff");
        java.nio.file.Files.writeString(script, """
                data corpus = charText(path = "text.txt", seqLen = 12)
                model lm {
                    embed(vocab = 256, dim = 16, position = learned)
                    repeat(2) {
                        residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                        residual { rmsNorm(); mlp(hidden = 32, activation = gelu) }
                    }
                    layerNorm()
                    logits(256)
                }
                train lm on corpus { steps = 1 }
                """);
        var r = Frontend.check(script, Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().render());
        TrainJob job = (TrainJob) r.program().jobs().get(0);
        return ModelCompiler.standard().compile(job.model(), job.data().schema(), job.loss(), 3, DataType.FLOAT);
    }

    private static Map<String, INDArray> batch(CompiledModel m, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray tokens = Nd4j.rand(4, 12).muli(255).castTo(DataType.INT32);
        INDArray labels = Nd4j.rand(4, 12).muli(255).castTo(DataType.INT32);
        return m.feed(List.of(tokens), labels, true);
    }

    private static List<String> gradientsAndLoss(CompiledModel m) {
        List<String> names = new ArrayList<>(List.of(m.loss(), m.output()));
        for (String p : m.parameters().keySet()) {
            SDVariable g = m.sd().getVariable(p).getGradient();
            if (g != null) names.add(g.name());
        }
        return names;
    }

    @Test
    void aTransformersLossAndGradientsEqualSameDiffsSession(@TempDir Path dir) throws Exception {
        CompiledModel m = transformer(dir);
        SameDiff grad = m.sd().getFunction("grad");
        List<String> names = gradientsAndLoss(m);
        PlannedExecutor plan = PlannedExecutor.plan(grad, names).orElseThrow();
        for (long seed = 1; seed <= 3; seed++) {
            Map<String, INDArray> expected = grad.output(batch(m, seed), names);
            Map<String, INDArray> actual = plan.run(grad, batch(m, seed));
            assertEquals(names, List.copyOf(actual.keySet()));
            for (String n : names) {
                assertTrue(expected.get(n).equalsWithEps(actual.get(n), 1e-6), n + " with batch " + seed);
            }
        }
    }

    @Test
    void afterTheFirstRunNoIntermediateIsAllocated(@TempDir Path dir) throws Exception {
        CompiledModel m = transformer(dir);
        SameDiff grad = m.sd().getFunction("grad");
        PlannedExecutor plan = PlannedExecutor.plan(grad, gradientsAndLoss(m)).orElseThrow();
        plan.run(grad, batch(m, 1));
        long first = plan.allocations();
        assertTrue(first > 0 && first < plan.ops(), "arrays are shared between ops within a run: " + first + " for " + plan.ops() + " ops");
        for (int i = 0; i < 3; i++) plan.run(grad, batch(m, 2 + i));
        assertEquals(first, plan.allocations());
    }

    @Test
    void returnedArraysStayTheCallersAcrossRuns(@TempDir Path dir) throws Exception {
        CompiledModel m = transformer(dir);
        List<String> names = gradientsAndLoss(m);
        SameDiff grad = m.sd().getFunction("grad");
        PlannedExecutor plan = PlannedExecutor.plan(grad, names).orElseThrow();
        Map<String, INDArray> first = plan.run(grad, batch(m, 1));
        Map<String, INDArray> kept = new java.util.HashMap<>();
        first.forEach((n, a) -> kept.put(n, a.dup()));
        plan.run(grad, batch(m, 2));
        for (String n : names) assertEquals(kept.get(n), first.get(n), n);
    }

    @Test
    void castsPlaceholdersAndCopiesIdentitiesOfGraphArrays() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        SDVariable y = x.mmul(w).add("y", 1.0);
        sd.identity("wCopy", w);
        sd.identity("xCopy", x);
        INDArray in = Nd4j.createFromArray(new double[][] {{1, 0, 2}});
        Map<String, INDArray> out = PlannedExecutor.plan(sd, List.of("y", "wCopy", "xCopy")).orElseThrow()
                .run(sd, Map.of("x", in));
        assertEquals(Nd4j.createFromArray(new float[][] {{12, 15}}), out.get("y"));
        assertEquals(DataType.FLOAT, out.get("xCopy").dataType());
        assertNotSame(w.getArr(), out.get("wCopy"));
        out.get("wCopy").assign(0);
        assertEquals(1f, w.getArr().getFloat(0), "the graph's weight is untouched");
    }

    @Test
    void anUnusedOutputOfAMultiOutputOpIsRecycled() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 6);
        SDVariable[] parts = sd.split(x, 2, 1);
        parts[0].mul("y", 2.0);
        PlannedExecutor plan = PlannedExecutor.plan(sd, List.of("y")).orElseThrow();
        INDArray in = Nd4j.rand(DataType.FLOAT, 4, 6);
        for (int i = 0; i < 3; i++) {
            INDArray y = plan.run(sd, Map.of("x", in)).get("y");
            assertEquals(in.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).mul(2), y);
        }
        assertEquals(2, plan.allocations(), "the split's two outputs, once");
    }

    @Test
    void aReshapeOfAnIntermediateIsAViewThatKeepsItsArrayFromThePool() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 4, 6);
        SDVariable h = x.mul(3.0);                              // pooled
        SDVariable r = sd.identity(h.reshape(2, 12).reshape(3, 8));   // a view of a view, then an identity of it
        SDVariable later = x.add(1.0).reshape(24);              // would reuse h's array if r did not hold it
        sd.math().sin(h).sum("a");                              // h's own last reader runs before r's
        r.add("b", later.reshape(3, 8));
        r.reshape(24).rename("c");                              // a wanted reshape: the caller's own array
        List<String> wanted = List.of("a", "b", "c");
        PlannedExecutor plan = PlannedExecutor.plan(sd, wanted).orElseThrow();
        for (int i = 0; i < 3; i++) {
            INDArray in = Nd4j.rand(DataType.FLOAT, 4, 6);
            Map<String, INDArray> expected = sd.output(Map.of("x", in), wanted);
            Map<String, INDArray> actual = plan.run(sd, Map.of("x", in));
            for (String n : wanted) assertEquals(expected.get(n), actual.get(n), n + " in run " + i);
            INDArray c = actual.get("c");
            plan.run(sd, Map.of("x", in.add(5)));
            assertEquals(expected.get("c"), c, "a returned reshape is not overwritten by the next run");
        }
        // h, x + 1 and sin(h) at most (the last two may share an array); a reshape copy would add [2, 12], [3, 8], [24].
        assertTrue(plan.allocations() <= 3, plan.allocations() + " intermediate arrays");
    }

    @Test
    void shapeComputationsAreKeptPerSignatureAndRedoneWhenTheBatchChanges() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3));
        SDVariable rows = sd.sizeAt(x, 0);                                        // from x's shape alone
        SDVariable ones = sd.fill(sd.concat(0, rows.reshape(1), sd.constant(Nd4j.createFromArray(1L))), DataType.FLOAT, 1.0);
        SDVariable scaled = x.mul(ones.mmul(w.reshape(1, 3)));                    // x ⊙ (1·wᵀ)
        scaled.reshape(sd.concat(0, rows.reshape(1), sd.constant(Nd4j.createFromArray(-1L)))).sum("y", 1);
        PlannedExecutor plan = PlannedExecutor.plan(sd, List.of("y")).orElseThrow();
        for (int batch : new int[] {2, 2, 5, 2, 5}) {
            INDArray in = Nd4j.rand(DataType.FLOAT, batch, 3);
            INDArray expected = in.mulRowVector(w.getArr()).sum(1);
            assertTrue(expected.equalsWithEps(plan.run(sd, Map.of("x", in)).get("y"), 1e-6), "batch " + batch);
            w.getArr().addi(0.5);                                                 // a trained weight is never kept
        }
    }

    @Test
    void aGraphNoLongerUsedIsCollectedWithItsPlans() throws Exception {
        java.lang.ref.WeakReference<SameDiff> ref = planOnce();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(ref.get() == null, "the cache of plans keeps no graph alive");
    }

    private static java.lang.ref.WeakReference<SameDiff> planOnce() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2);
        x.mul("y", 2.0);
        PlannedExecutor.output(sd, Map.of("x", Nd4j.createFromArray(1f, 2f)), "y");
        return new java.lang.ref.WeakReference<>(sd);
    }

    @Test
    void aGraphWithControlFlowIsLeftToSameDiff() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2);
        SDVariable flag = sd.placeHolder("flag", DataType.BOOL);
        SDVariable out = sd.ifCond("branch", null, s -> flag, s -> x.mul(2), s -> x.mul(3));
        assertTrue(PlannedExecutor.plan(sd, List.of(out.name())).isEmpty());
        INDArray in = Nd4j.createFromArray(1f, 2f);
        Map<String, INDArray> r = PlannedExecutor.output(sd, Map.of("x", in, "flag", Nd4j.scalar(true)), out.name());
        assertEquals(Nd4j.createFromArray(2f, 4f), r.get(out.name()));
    }
}
