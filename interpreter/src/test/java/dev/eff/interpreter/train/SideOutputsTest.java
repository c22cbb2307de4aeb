package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.metrics.Accuracy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SideOutputsTest {

    static Value weighted(double w) {
        return new Value.Formula("+", Fixtures.crossEntropy(), new Value.Formula("*", new Value.Float(w), new Value.Aux("l2", Fixtures.SPAN)));
    }

    static double sumOfSquares(CompiledModel m) {
        double s = 0;
        for (INDArray p : m.parameters().values()) s += p.mul(p).sumNumber().doubleValue();
        return s;
    }

    @Test
    void anAuxTermIsSummedOverEveryLayerThatEmitsItAndWeightedInTheLoss() {
        Dataset d = Fixtures.blobs(12, 1);
        CompiledModel plain = Fixtures.COMPILER.compile(Fixtures.auxMlp(false), Fixtures.SCHEMA, Fixtures.crossEntropy(), 3, DataType.DOUBLE);
        CompiledModel withAux = Fixtures.COMPILER.compile(Fixtures.auxMlp(false), Fixtures.SCHEMA, weighted(0.5), 3, DataType.DOUBLE);
        double ce = new Backprop(plain, plain.parameters().keySet()).run(plain.feed(d.inputs(), d.labels(), true)).loss();
        Backprop.Result r = new Backprop(withAux, withAux.parameters().keySet()).run(withAux.feed(d.inputs(), d.labels(), true));
        double l2 = sumOfSquares(withAux);
        assertEquals(2, withAux.parameters().size());
        assertEquals(l2, r.auxiliaries().get("l2"), 1e-9);
        assertEquals(ce + 0.5 * l2, r.loss(), 1e-9);
        // d(0.5 Σ W²)/dW = W is part of each gradient: the aux term is differentiated like any other loss term.
        Backprop.Result ceOnly = new Backprop(plain, plain.parameters().keySet()).run(plain.feed(d.inputs(), d.labels(), true));
        withAux.parameters().forEach((name, w) ->
                assertTrue(ceOnly.gradients().get(name).add(w).equalsWithEps(r.gradients().get(name), 1e-9), name));
    }

    @Test
    void probesComeFromTheSameRunPerLayer() {
        Dataset d = Fixtures.blobs(12, 1);
        CompiledModel m = Fixtures.COMPILER.compile(Fixtures.auxMlp(false), Fixtures.SCHEMA, weighted(0.5), 3, DataType.DOUBLE);
        Backprop.Result r = new Backprop(m, m.parameters().keySet()).run(m.feed(d.inputs(), d.labels(), true));
        assertEquals(List.of("first/activation", "first/mode", "second/activation", "second/mode"),
                m.probes().stream().map(CompiledModel.Probe::key).toList());
        INDArray h = d.inputs().get(0).castTo(DataType.DOUBLE).mmul(m.parameters().get("auxMlp/first/W"));
        CompiledModel.Probe first = m.probes().get(0);
        assertTrue(h.mean(0).equalsWithEps(r.probes().get(first), 1e-9));
    }

    @Test
    void trainerLogsEveryAuxLossPerStepAndSamplesProbes() throws Exception {
        CompiledModel m = Fixtures.COMPILER.compile(Fixtures.auxMlp(false), Fixtures.SCHEMA, weighted(1.0), 3, DataType.FLOAT);
        double before = sumOfSquares(m);
        var seen = new java.util.ArrayList<Double>();
        TrainListener listener = new TrainListener() {
            @Override public void auxiliaries(long step, Map<String, Double> values) { seen.add(values.get("l2")); }
        };
        TrainResult r = new Trainer().train(m, Fixtures.blobs(90, 1),
                Fixtures.plan(new dev.eff.stdlib.optim.Sgd(), Map.of("lr", new Value.Float(0.05)), 16, 8, 1, null, 0), listener);
        double[] l2 = r.sideOutputs().auxiliaries().get("l2");
        assertEquals(8, l2.length);
        assertArrayEquals(seen.stream().mapToDouble(Double::doubleValue).toArray(), l2, 0);
        assertEquals(before, l2[0], 1e-4, "step 1 logs the aux loss of the initial weights");
        assertTrue(l2[7] < l2[0], "the weighted aux term pulls the weights down: " + java.util.Arrays.toString(l2));
        List<ProbeSeries> probes = r.sideOutputs().probes();
        assertEquals(4, probes.size());
        assertEquals(6, probes.get(0).mean().length);
        assertEquals(8, probes.get(0).samples().size(), "fewer than " + SideOutputLog.SAMPLES + " steps: a sample per step");
        assertArrayEquals(new double[] {0}, probes.get(1).mean(), "a training graph");
    }

    @Test
    void probesAreSampledAtMostAHundredTimesButAveragedOverEveryStep() {
        var probe = new CompiledModel.Probe("l", "p", "v");
        SideOutputLog log = new SideOutputLog(List.of(), List.of(probe), 250);
        for (int step = 0; step < 250; step++) {
            log.record(step, Map.of(), Map.of(probe, org.nd4j.linalg.factory.Nd4j.scalar((double) step)));
        }
        ProbeSeries s = log.probes().get(0);
        assertEquals(84, s.samples().size(), "every third step, and the last");
        assertEquals(3, s.samples().get(0).step());
        assertEquals(250, s.samples().get(83).step());
        assertArrayEquals(new double[] {124.5}, s.mean(), 1e-12);
    }

    @Test
    void evaluationReportsProbesAveragedOverBatches() {
        Dataset d = Fixtures.blobs(20, 2);
        CompiledModel m = Fixtures.COMPILER.forward(Fixtures.auxMlp(false), Fixtures.SCHEMA, 3, DataType.DOUBLE);
        var e = new Evaluator().evaluate(m, d, 10, List.of(new Evaluator.Request("accuracy", new Accuracy(),
                new dev.eff.dsl.check.Args(Map.of()))), 3);
        INDArray h = d.inputs().get(0).castTo(DataType.DOUBLE).mmul(m.parameters().get("auxMlp/first/W"));
        double[] expected = h.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)).mean(0)
                .add(h.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20)).mean(0)).div(2).toDoubleVector();
        assertArrayEquals(expected, e.probes().get(0).mean(), 1e-9);
        assertEquals(null, e.probes().get(0).samples());
        assertTrue(e.metrics().containsKey("accuracy"));
    }

    @Test
    void aLayerEmittingAnUndeclaredSideOutputIsAComponentBug() {
        var ex = assertThrows(IllegalStateException.class, () -> Fixtures.COMPILER.compile(Fixtures.auxMlp(true), Fixtures.SCHEMA,
                Fixtures.crossEntropy(), 3, DataType.FLOAT));
        assertTrue(ex.getMessage().contains("layer first emitted aux 'extra' that its sideOutputs(args) does not declare"), ex.getMessage());
    }
}
