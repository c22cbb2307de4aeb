package dev.eff.interpreter.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Registry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

    /** A recall model (sequences of 2·4 + 1 = 9 tokens) trained with {@code optimizer} at batch 8. */
    private static CheckedProgram program(String optimizer, String layers) {
        String script = """
                data recall = associativeRecall(vocab = 16, pairs = 4)
                model m() {
                    embed(vocab = 16, dim = 8, position = none)
                    %s
                    pool(last)
                    logits(16)
                }
                train m on recall { optimizer = %s; batch = 8; steps = 1 }
                """.formatted(layers, optimizer);
        Frontend.Result r = Frontend.check(new Source("m.eff", script), Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.program();
    }

    private static MemoryEstimate estimate(CheckedProgram p) { return MemoryEstimate.of(p.jobs().get(0)); }

    @Test
    void optimizerStateIsTwoCopiesForAdamOneForSgdWithMomentumNoneWithout() {
        for (var c : Map.of("adam()", 2, "adamw()", 2, "sgd(lr = 0.1)", 1, "sgd(lr = 0.1, momentum = 0)", 0).entrySet()) {
            MemoryEstimate e = estimate(program(c.getKey(), ""));
            long params = ((TrainJob) program(c.getKey(), "").jobs().get(0)).model().cost().params();
            assertEquals(4 * params, e.parameters());
            assertEquals(e.parameters(), e.gradients());
            assertEquals(c.getValue() * e.parameters(), e.optimizerState(), c.getKey());
            assertEquals(e.parameters() + e.gradients() + e.optimizerState() + e.activations(), e.total());
        }
    }

    @Test
    void activationsCountEveryOutputAtTheBatchSizeAndAttentionScores() {
        // tokens [9] + one-hot [9, 16] + embed [9, 8] + pool [8] + logits [16] per example, 8 examples, 4 bytes each.
        long plain = (9 + 9 * 16 + 9 * 8 + 8 + 16) * 8 * 4;
        assertEquals(plain, estimate(program("adam()", "")).activations());
        // attention(heads = 2) adds its output [9, 8], q, k, v [9, 24] and scores and softmax [2, 9, 9] twice.
        long attention = (9 * 8 + 9 * 24 + 2 * 2 * 9 * 9) * 8 * 4;
        assertEquals(plain + attention, estimate(program("adam()", "attention(heads = 2)")).activations());
    }

    @Test
    void sumsSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, MemoryEstimate.times(1L << 40, 1L << 40));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.times(-5, 2), "an overflowed count stays absurdly large");
        assertEquals(Long.MAX_VALUE, MemoryEstimate.add(Long.MAX_VALUE - 1, 2));
        assertEquals("more than 8 EB", MemoryEstimate.size(Long.MAX_VALUE));
        assertEquals("1.50 GB", MemoryEstimate.size(3L << 29));
        assertEquals("512 B", MemoryEstimate.size(512));
    }

    @Test
    void theMachineOffersTheSmallerOfItsMemoryAndTheNativeLimit() {
        assertEquals(100, new MachineMemory(100, 0).available());
        assertEquals(60, new MachineMemory(100, 60).available());
        assertEquals(100, new MachineMemory(100, 600).available());
        assertTrue(new MachineMemory(4L << 30, 2L << 30).describe().endsWith("ND4J may use 2.00 GB of it (org.bytedeco.javacpp.maxPhysicalBytes)"));
    }

    @Test
    void modelsKeptFromEarlierStatementsCountAgainstTheMachine() throws Exception {
        String script = """
                data recall = associativeRecall(vocab = 16, pairs = 4)
                model a() { embed(vocab = 16, dim = 64, position = none); pool(last); logits(16) }
                model b() { embed(vocab = 16, dim = 64, position = none); pool(last); logits(16) }
                train a on recall { batch = 8; steps = 1 }
                train b on recall { batch = 8; steps = 1 }
                """;
        Frontend.Result r = Frontend.check(new Source("two.eff", script), Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().toString());
        MemoryEstimate a = MemoryEstimate.of(r.program().jobs().get(0)), b = MemoryEstimate.of(r.program().jobs().get(1));
        MemoryEstimate.requireFits(r.program(), new MachineMemory(b.total() + a.parameters(), 0));
        var e = org.junit.jupiter.api.Assertions.assertThrows(ModelTooLarge.class,
                () -> MemoryEstimate.requireFits(r.program(), new MachineMemory(b.total() + a.parameters() - 1, 0)));
        assertTrue(e.getMessage().startsWith("model b does not fit in memory: "), e.getMessage());
        assertTrue(e.getMessage().contains(", plus " + MemoryEstimate.size(a.parameters()) + " of models kept from earlier statements"), e.getMessage());
        assertEquals(5, e.span().line());
    }
}
