package dev.eff.interpreter.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.run.ModelSummary;
import dev.eff.stdlib.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** attention(treeformer) as a script sees it: the card's call checks, path mode refuses causal at the call. */
class TreeformerCheckTest {

    private static Frontend.Result check(String attention) {
        return Frontend.check(new Source("tree.eff", """
                data recall = associativeRecall(vocab = 16, pairs = 4, queries = 4, examples = 100)
                model m() {
                    embed(vocab = 16, dim = 16)
                    residual { %s }
                    logits(16)
                }
                train m on recall { steps = 1; loss = crossEntropy() + 0.01 * aux.leafBalance }
                """.formatted(attention)), Registry.standard(), Map.of());
    }

    @Test
    void theDesignCardCallChecksAndEmitsTheLeafBalanceLoss() {
        var r = check("attention(treeformer)");
        assertTrue(r.ok(), r.diagnostics().render());
        String summary = ModelSummary.render(r.program().models().values().iterator().next());
        assertTrue(summary.contains("attention(treeformer)"), summary);
    }

    @Test
    void pathModeCannotBeCausalAndSaysSoAtTheCall() {
        var r = check("attention(treeformer, mode = path, causal = true)");
        assertFalse(r.ok());
        String text = r.diagnostics().render();
        assertTrue(text.contains("tree.eff:4:16: error: attention(treeformer): mode = path cannot be causal"), text);
        assertTrue(r.diagnostics().all().get(0).hint().contains("use mode = leaf"), text);
        assertTrue(check("attention(treeformer, causal = true)").ok(), "leaf mode is causal");
    }
}
