package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.LayerPattern;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.VariableRole;
import dev.eff.stdlib.optim.Adam;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParameterRolesTest {

    static Map<String, INDArray> snapshot(CompiledModel m) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.parameters().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    static TrainPlan plan(List<LayerPattern> freeze, Path checkpoint) {
        TrainPlan p = Fixtures.plan(new Adam(), Map.of("lr", new Value.Float(0.05)), 16, 6, 1, checkpoint, 0);
        return new TrainPlan(p.batch(), p.steps(), p.epochs(), p.seed(), p.optimizer(), p.optimizerArgs(), p.checkpoint(),
                p.checkpointEvery(), p.span(), freeze);
    }

    @Test
    void stateAndFrozenVariablesAreNeverUpdatedButAreCheckpointed(@TempDir Path dir) throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.scaledMlp(), 2);
        Parameters.Variable scale = m.variables().get("scaled/scale/scale"), shift = m.variables().get("scaled/scale/shift");
        assertEquals(VariableRole.STATE, scale.role());
        assertEquals(VariableRole.FROZEN, shift.role());
        assertEquals(VariableRole.TRAINABLE, m.variables().get("scaled/scale/gain").role());
        Map<String, INDArray> before = snapshot(m);
        new Trainer().train(m, Fixtures.blobs(90, 1), plan(List.of(), dir.resolve("c.sd")), TrainListener.NONE);
        assertEquals(before.get(scale.name()), scale.array(), "state is not trained");
        assertEquals(before.get(shift.name()), shift.array(), "a frozen weight is not trained");
        assertFalse(before.get("scaled/scale/gain").equals(m.variables().get("scaled/scale/gain").array()), "the trainable gain moved");
        SameDiff loaded = SameDiff.load(dir.resolve("c.sd").toFile(), false);
        for (String name : List.of(scale.name(), shift.name(), "scaled/scale/gain", "scaled/dense1/W")) {
            assertEquals(m.parameters().get(name), loaded.getVariable(name).getArr(), name + " is in the checkpoint");
        }
    }

    @Test
    void stepHooksRunAfterEveryOptimizerStepWithTheStepCount() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 2);
        List<Long> seen = new java.util.ArrayList<>();
        m.variables().afterEachStep("probe/hook", seen::add);
        m.variables().afterEachStep("probe/hook", step -> seen.add(-step));   // the same name again: ignored
        new Trainer().train(m, Fixtures.blobs(90, 1), plan(List.of(), null), TrainListener.NONE);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seen);
    }

    @Test
    void aFrozenLayerDoesNotChangeWhileTheOthersTrain() throws Exception {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 2);
        Map<String, INDArray> before = snapshot(m);
        new Trainer().train(m, Fixtures.blobs(90, 1), plan(List.of(new LayerPattern("dense1")), null), TrainListener.NONE);
        assertEquals(before.get("mlp/dense1/W"), m.parameters().get("mlp/dense1/W"));
        assertEquals(before.get("mlp/dense1/b"), m.parameters().get("mlp/dense1/b"));
        assertFalse(before.get("mlp/dense2/W").equals(m.parameters().get("mlp/dense2/W")), "dense2 trains");
    }

    @Test
    void twoModelsWithTheSameLayerPathsDoNotShareWeights() throws Exception {
        CompiledModel a = Fixtures.compile(Fixtures.mlp("a", 8), 2), b = Fixtures.compile(Fixtures.mlp("b", 8), 2);
        assertEquals(List.of("a/dense1/W", "a/dense1/b", "a/dense2/W", "a/dense2/b"), List.copyOf(a.parameters().keySet()));
        assertEquals(a.parameters().get("a/dense1/W"), b.parameters().get("b/dense1/W"), "same seed and structure: same start");
        assertNotSame(a.parameters().get("a/dense1/W"), b.parameters().get("b/dense1/W"));
        Map<String, INDArray> before = snapshot(b);
        new Trainer().train(a, Fixtures.blobs(90, 1), plan(List.of(), null), TrainListener.NONE);
        assertEquals(before, snapshot(b), "training a leaves b alone");
    }

    @Test
    void twoModelsLoweredIntoOneGraphGetTheirOwnVariables() {
        SameDiff sd = SameDiff.create();
        var shape = dev.eff.dsl.check.Shape.batch(dev.eff.dsl.check.DType.FLOAT, 2);
        var a = new dev.eff.stdlib.ScopedLowering(new dev.eff.stdlib.GraphContext(sd, new Parameters("a"), 1,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, null, false), "block1/dense", shape, shape);
        var b = new dev.eff.stdlib.ScopedLowering(new dev.eff.stdlib.GraphContext(sd, new Parameters("b"), 1,
                org.nd4j.linalg.api.buffer.DataType.FLOAT, null, false), "block1/dense", shape, shape);
        var wa = a.param("W", new long[] {2, 2}, dev.eff.stdlib.Init.glorot(2, 2));
        var wb = b.param("W", new long[] {2, 2}, dev.eff.stdlib.Init.glorot(2, 2));
        assertEquals("a/block1/dense/W", wa.name());
        assertEquals("b/block1/dense/W", wb.name());
        assertNotSame(wa.getArr(), wb.getArr());
    }

    @Test
    void layerPatternsNameALayerOrEverythingUnderAPath() {
        assertTrue(new LayerPattern("block1").matches("block1/attention"));
        assertTrue(new LayerPattern("block*").matches("block12/mlp"));
        assertTrue(new LayerPattern("*/mlp").matches("block2/mlp"));
        assertFalse(new LayerPattern("block1").matches("block12/mlp"));
        assertFalse(new LayerPattern("mlp").matches("block2/mlp"));
        assertTrue(new LayerPattern("embed").matches("embed"));
    }
}
