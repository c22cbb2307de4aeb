package dev.eff.interpreter.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Learn-then-Test against numbers worked out by hand (n = 100 examples, δ = 0.1, ε = 0.05). */
class LearnThenTestTest {

    @Test
    void hoeffdingBentkusPValuesAsWorkedOutByHand() {
        // R̂ = 0.02: Hoeffding h = 0.02·ln(0.02/0.1) + 0.98·ln(0.98/0.9) = 0.0512665, exp(−5.12665) = 0.0059368;
        // Bentkus e·P[Bin(100, 0.1) ≤ 2] = e·(0.9^100 + 100·0.1·0.9^99 + 4950·0.01·0.9^98) = e·0.00194489 = 0.0052867.
        assertEquals(0.0052867, LearnThenTest.pValue(0.02, 100, 0.1), 1e-7);
        // R̂ = 0: both are (0.9)^100 = 2.6561e-5 (Hoeffding) and e·0.9^100 (Bentkus): the smaller wins.
        assertEquals(Math.pow(0.9, 100), LearnThenTest.pValue(0, 100, 0.1), 1e-12);
        // R̂ = 0.08: Hoeffding exp(−100·(0.08·ln 0.8 + 0.92·ln(0.92/0.9))) = 0.78906 beats Bentkus e·P[Bin ≤ 8] = 0.87223.
        assertEquals(0.78906, LearnThenTest.pValue(0.08, 100, 0.1), 1e-5);
        // Above δ nothing can be rejected: min(R̂, δ) = δ makes Hoeffding's bound 1.
        assertEquals(1, LearnThenTest.pValue(0.3, 100, 0.1), 0);
    }

    @Test
    void fixedSequenceTestingStopsAtTheFirstThresholdItCannotCertify() {
        // p = 2.66e-5, 0.00529 (both ≤ ε), then R̂ = 0.05: e·P[Bin(100, 0.1) ≤ 5] = 0.15651 > ε, so testing stops there
        // and the last threshold, though its risk is 0, is never tested.
        var c = LearnThenTest.choose(new double[] {0, 0.02, 0.05, 0}, 100, 0.1, 0.05);
        assertEquals(1, c.chosen());
        assertEquals(0.15651, c.pValues()[2], 1e-5);
        assertTrue(Double.isNaN(c.pValues()[3]));
        assertEquals(-1, LearnThenTest.choose(new double[] {0.2, 0}, 100, 0.1, 0.05).chosen(), "nothing certified");
    }

    @Test
    void tooFewExamplesCertifyNothingAndTheMinimumIsExact() {
        // (1 − 0.1)^n ≤ 0.05 needs n ≥ ln 0.05 / ln 0.9 = 28.43, so 29.
        assertEquals(29, LearnThenTest.minimumExamples(0.1, 0.05));
        assertTrue(LearnThenTest.pValue(0, 28, 0.1) > 0.05);
        assertTrue(LearnThenTest.pValue(0, 29, 0.1) <= 0.05);
        assertArrayEquals(new double[] {LearnThenTest.pValue(0, 28, 0.1)},
                LearnThenTest.choose(new double[] {0}, 28, 0.1, 0.05).pValues(), 0);
        assertEquals(-1, LearnThenTest.choose(new double[] {0}, 28, 0.1, 0.05).chosen());
    }
}
