package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.metrics.Accuracy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class EvaluatorTest {

    @Test
    void batchedAccuracyEqualsAccuracyOverTheWholeSplit() {
        CompiledModel m = Fixtures.compile(Fixtures.mlp(8), 5);
        Dataset data = Fixtures.blobs(13, 4);
        var result = new Evaluator().evaluate(m, data, 5,
                List.of(new Evaluator.Request("accuracy", new Accuracy(), new dev.eff.dsl.check.Args(Map.of()))), 3).metrics();
        INDArray out = m.sd().output(m.feed(data.inputs(), null, false), m.output()).get(m.output());
        int[] y = data.labels().toIntVector();
        int hits = 0;
        for (int i = 0; i < y.length; i++) {
            double[] row = out.getRow(i).toDoubleVector();
            int best = 0;
            for (int k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
            if (best == y[i]) hits++;
        }
        assertEquals((double) hits / y.length, result.get("accuracy"), 1e-12);
    }
}
