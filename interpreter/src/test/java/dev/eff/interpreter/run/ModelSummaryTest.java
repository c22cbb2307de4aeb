package dev.eff.interpreter.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
    @Test
    void theFlopsTotalIncludesTheResidualAdds() {
        var r = Frontend.check(new Source("res.eff", """
                data recall = associativeRecall(vocab = 16, pairs = 2, examples = 100)
                model m() {
                    embed(vocab = 16, dim = 8)
                    residual { mlp(hidden = 8) }
                    pool(last)
                    logits(16)
                }
                train m on recall { steps = 1 }
                """), Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().all().toString());
        ModelGraph g = r.program().models().values().iterator().next();
        long rows = 0, adds = 0;
        for (Node n : g.nodes()) {
            if (n instanceof Node.Apply a) rows += a.cost().flops();
            if (n instanceof Node.Residual res) adds += res.flops();
        }
        assertEquals(40, adds, "one add per element of [5, 8]");
        assertEquals(rows + adds, g.cost().flops());
        assertTrue(ModelSummary.render(g).contains("forward FLOPs per example: " + ModelSummary.flops(rows + adds)), ModelSummary.render(g));
    }
}
