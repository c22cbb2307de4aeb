package dev.eff.interpreter.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.optim.Adam;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A loss formula may hold any number of numeric weights (the README tour weighs two cross-entropies). */
class LossFormulaTest {
    static Value ce(double smoothing) {
        return Fixtures.call("crossEntropy", Map.of("labelSmoothing", new Value.Float(smoothing)));
    }

    @Test
    void twoWeightedTermsCompileAndTrainWithoutADuplicateConstantName() throws Exception {
        Value loss = new Value.Formula("+", new Value.Formula("*", new Value.Float(0.9), ce(0)),
                new Value.Formula("+", new Value.Formula("*", new Value.Float(0.05), ce(0.1)),
                        new Value.Formula("*", new Value.Int(2), new Value.Formula("/", ce(0.2), new Value.Int(40)))));
        CompiledModel m = Fixtures.COMPILER.compile(Fixtures.mlp(8), Fixtures.SCHEMA, loss, 5, DataType.FLOAT);
        var r = new Trainer().train(m, Fixtures.blobs(32, 1),
                Fixtures.plan(new Adam(), Map.of(), 8, 3, 0, null, 0), TrainListener.NONE);
        assertEquals(3, r.steps());
        assertTrue(Double.isFinite(r.finalLoss()), "loss " + r.finalLoss());
    }
}
