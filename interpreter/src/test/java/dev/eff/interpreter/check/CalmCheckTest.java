package dev.eff.interpreter.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.run.ModelSummary;
import dev.eff.stdlib.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** exit(calm) as a script sees it: the card's call checks where the design places it, and is refused elsewhere. */
class CalmCheckTest {

    private static final String STACK = """
                repeat(3) {
                    residual { layerNorm(); attention(softmax, heads = 2, causal = %s) }
                    residual { layerNorm(); mlp(hidden = 32) }
                }
            """;

    private static Frontend.Result check(String body, String statement) {
        return Frontend.check(new Source("calm.eff", """
                data corpus = charText(path = "/usr/share/games/fortunes/songs-poems", seqLen = 16)
                model lm() {
                    embed(vocab = 256, dim = 16)
                %s
                }
                train lm on corpus { steps = 1 }
                %s
                """.formatted(body, statement)), Registry.standard(), Map.of());
    }

    private static Frontend.Result check(String body) { return check(body, ""); }

    private static final String CARD = STACK.formatted("true") + "    layerNorm()\n    exit(calm, delta=0.1)\n    logits(256)\n";

    @Test
    void calibrateRefusesACalibrationSetTooSmallToCertifyAnythingAndSaysHowManyItNeeds() {
        var fine = check(CARD, "calibrate lm on corpus.test { prompts = 29, promptLength = 8 }");
        assertTrue(fine.ok(), fine.diagnostics().render());
        assertTrue(check(CARD, "calibrate lm on corpus.test { prompts = 29 }").diagnostics().render()
                .contains("prompts of 16 bytes leave no room in the model's 16 positions"));
        var r = check(CARD, "calibrate lm on corpus.test { prompts = 28, promptLength = 8 }");
        assertFalse(r.ok());
        String text = r.diagnostics().render();
        assertTrue(text.contains("28 calibration examples cannot certify any threshold at delta = 0.1, epsilon = 0.05"), text);
        assertTrue(text.contains("hint: use prompts = 29 or more"), text);
        text = check(STACK.formatted("true") + "    layerNorm()\n    logits(256)\n", "calibrate lm on corpus.test { prompts = 40 }")
                .diagnostics().render();
        assertTrue(text.contains("has no early exit to calibrate"), text);
    }

    private static String errors(String body) {
        var r = check(body);
        assertFalse(r.ok(), body);
        return r.diagnostics().render();
    }

    @Test
    void theDesignCardCallChecksAfterTheFinalNormAndSummaryShowsTheExits() {
        var r = check(STACK.formatted("true") + "    layerNorm()\n    exit(calm, delta=0.1)\n    logits(256)\n");
        assertTrue(r.ok(), r.diagnostics().render());
        String summary = ModelSummary.render(r.program().models().values().iterator().next());
        assertTrue(summary.contains("exit(calm)"), summary);
        assertTrue(summary.contains("early exits: 3, after block1, block2, block3, each through layerNorm → exit → logits"), summary);
    }

    @Test
    void withoutADecoderStackBeforeItItSaysWhatItNeeds() {
        String text = errors("    layerNorm()\n    exit(calm, delta = 0.1)\n    logits(256)\n");
        assertTrue(text.contains("calm.eff:5:5: error: exit(calm): needs a decoder stack of at least two blocks before it"), text);
        assertTrue(text.contains("hint: write it as the card does"), text);
    }

    @Test
    void aStackThatIsNotCausalIsRefused() {
        String text = errors(STACK.formatted("false") + "    layerNorm()\n    exit(calm)\n    logits(256)\n");
        assertTrue(text.contains("exit(calm): the decoder stack before it is not causal"), text);
    }

    @Test
    void nothingAfterItIsRefused() {
        String text = errors(STACK.formatted("true") + "    layerNorm()\n    exit(calm)\n");
        assertTrue(text.contains("exit(calm): nothing comes after it"), text);
    }

    @Test
    void aSecondExitIsRefusedAtTheSecond() {
        String text = errors(STACK.formatted("true") + "    layerNorm()\n    exit(calm)\n    exit(calm)\n    logits(256)\n");
        assertTrue(text.contains("calm.eff:10:5: error: exit(calm): a model has one early exit; another is at exit at 9:5"), text);
        assertEquals(1, check(STACK.formatted("true") + "    layerNorm()\n    exit(calm)\n    exit(calm)\n    logits(256)\n")
                .diagnostics().errorCount(), text);
    }

    @Test
    void misspeltArgumentsGetDidYouMean() {
        String text = errors(STACK.formatted("true") + "    layerNorm()\n    exit(calm, detla = 0.1, measure = sofmax)\n    logits(256)\n");
        assertTrue(text.contains("unknown parameter 'detla' of 'exit(calm)' (did you mean 'delta'?)"), text);
        text = errors(STACK.formatted("true") + "    layerNorm()\n    exit(calm, measure = sofmax)\n    logits(256)\n");
        assertTrue(text.contains("did you mean 'softmax'?"), text);
        text = errors(STACK.formatted("true") + "    layerNorm()\n    exit(clam)\n    logits(256)\n");
        assertTrue(text.contains("did you mean 'calm'?"), text);
    }
}
