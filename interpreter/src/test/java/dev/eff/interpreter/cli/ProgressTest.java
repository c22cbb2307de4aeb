package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theProgressLineLabelsElapsedAndLeftAndFitsEightyColumns() {
        String line = Progress.line("train recaller(layers = 4)", 228, 1000, 0.4213, "", 1620, 83, 57, 80);
        assertTrue(line.length() <= 79, line.length() + ": " + line);
        assertTrue(line.contains("228/1000") && line.contains("loss 0.4213") && line.contains("elapsed 1:23")
                && line.contains("left 0:57"), line);
        assertTrue(line.contains("█"), "a bar still fits: " + line);
    }

    @Test
    void aLongTaskNameIsCutRatherThanTheLineWrapped() {
        String line = Progress.line("train " + "m".repeat(100), 5, 10, 1.5, "", 100, 3600, 3600, 80);
        assertTrue(line.length() <= 79, line);
        String wide = Progress.line("train lm", 5, 10, 1.5, "", 100, 3, 3, 200);
        assertTrue(wide.contains("100 ex/s") && wide.contains("█"), wide);
    }

    @Test
    void nothingIsDrawnBeforeTheFirstStepAndLeftOnlyOnceItCanBeEstimated() {
        var bytes = new ByteArrayOutputStream();
        var progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
        var bar = progress.listener("train lm");
        bar.started(1000, 64);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        bar.step(1, 1000, 2.0, 16, 1.0);
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(first.contains("1/1000") && first.contains("elapsed 0:01"), first);
        assertFalse(first.contains("left") || first.contains("?"), first);
    }

    @Test
    void theTimeLeftFollowsTheRecentPaceNotTheSlowStart() {
        Eta eta = new Eta();
        double t = 0;
        for (int step = 1; step <= 100; step++) {
            t += step <= 10 ? 20 : 1;   // ten slow warm-up steps, then one second a step
            eta.observe(step, t);
        }
        assertEquals(900, eta.remaining(1000), 1e-9);
        assertTrue(Double.isNaN(new Eta().remaining(10)));
    }
}
