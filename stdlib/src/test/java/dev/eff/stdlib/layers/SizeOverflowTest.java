package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Registry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sizes near 2^63 in the real layers' shape and cost rules: each is one diagnostic at the call, never
 * an internal error, a wrapped (negative or zero) size or a parameter count that is silently wrong.
 */
class SizeOverflowTest {

    private static Diagnostic only(String body) {
        Frontend.Result r = Frontend.check(new Source("t.eff", "model m {\n" + body + "\n}\n"), Registry.standard(), Map.of());
        List<Diagnostic> all = r.diagnostics().all();
        assertEquals(1, all.size(), r.diagnostics().render());
        assertFalse(all.get(0).message().contains("internal error"), r.diagnostics().render());
        return all.get(0);
    }

    private static void overflowsAt(String body, int line, String layer) {
        Diagnostic d = only(body);
        assertEquals(layer + ": sizes overflow here: the model's shapes, parameters or FLOPs no longer fit in 64 bits", d.message());
        assertEquals(line + 1, d.span().line(), d.render());
    }

    @Test
    void flattenOfAnInputBeyond2To63IsReportedAtTheInputNotDivisionByZero() {
        Diagnostic d = only("input x: float[2 ** 62, 4]\nflatten()\ndense(10)");
        assertEquals("this input has more than 2^63 values per example", d.message());
        assertEquals(2, d.span().line());
    }

    @Test
    void denseWhoseParametersOverflowIsReportedAtTheCall() {
        overflowsAt("input x: float[2 ** 62, 1]\nflatten()\ndense(10)", 3, "dense");
    }

    @Test
    void conv2dWithHugeFiltersKernelAndStrideIsNotAcceptedWithAZeroSizedOutput() {
        overflowsAt("input x: float[1, 8, 8]\nconv2d(filters = 9223372036854775807, kernel = 9223372036854775807, stride = 9223372036854775807)", 2, "conv2d");
    }

    @Test
    void embedWithAHugeVocabularyDoesNotReportAWrappedParameterCount() {
        overflowsAt("input x: int[4]\nembed(vocab = 2 ** 62, dim = 4)", 2, "embed");
    }

    @Test
    void attentionHeadsHintOnAHugePrimeWidthFinishes() {
        Diagnostic d = only("input x: float[1, 9223372036854775783]\nattention(heads = 2)");
        assertTrue(d.message().contains("not divisible by heads = 2"), d.message());
        assertTrue(d.hint().contains("divisors of 9223372036854775783: 1;"), d.hint());
    }

    @Test
    void attentionHeadsHintStillListsSmallDivisors() {
        assertEquals("1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64", AttentionHeads.divisors(768, 12));
        assertEquals("1", AttentionHeads.divisors(2147483647, 12));
    }
}
