package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
