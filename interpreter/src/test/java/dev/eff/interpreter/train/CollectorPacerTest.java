package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CollectorPacerTest {

    private static final long MB = 1L << 20, MS = 1_000_000L;

    /** A fake process: resident memory and a clock the test moves; a collection takes {@code gcCost} ns. */
    private static final class Process {
        long rss = 500 * MB, now, gcCost = 30 * MS;
        int collections;

        CollectorPacer pacer() {
            return new CollectorPacer(() -> rss, () -> now, () -> {
                collections++;
                now += gcCost;
            });
        }

        void step(long ms, long grewMb) {
            now += ms * MS;
            rss += grewMb * MB;
        }
    }

    @Test
    void collectsOnlyAfterFreshMemoryWasTaken() {
        Process p = new Process();
        CollectorPacer pacer = p.pacer();
        p.step(1000, 10);
        assertFalse(pacer.afterStep(), "10 MB of growth is below the threshold");
        p.step(1000, 60);
        assertTrue(pacer.afterStep(), "70 MB since the last collection");
        p.step(1000, 0);
        assertFalse(pacer.afterStep(), "memory reused, nothing to collect");
        assertEquals(1, p.collections);
    }

    @Test
    void keepsCollectionUnderItsShareOfTheTime() {
        Process p = new Process();
        CollectorPacer pacer = p.pacer();
        int collected = 0;
        for (int i = 0; i < 100; i++) {
            p.step(100, 100);                  // 100 ms steps that each take 100 MB of fresh memory
            if (pacer.afterStep()) collected++;
        }
        // 30 ms collections within 5 % of the time: at most one per 600 ms, i.e. one per 6 to 7 steps.
        assertTrue(collected >= 12 && collected <= 17, collected + " collections in 100 steps");
        long spent = p.collections * p.gcCost;
        assertTrue(spent <= CollectorPacer.BUDGET * p.now * 1.1, "spent " + spent / MS + " ms of " + p.now / MS);
    }
}
