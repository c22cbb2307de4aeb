package dev.eff.interpreter.train;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Runs the garbage collector between training steps when the process has taken fresh native memory since the
 * last collection, at most as often as keeps collection under {@link #BUDGET} of the time.
 *
 * <p>ND4J frees a native buffer only when the collector reclaims its Java object, and SameDiff leaves part of each
 * step's intermediates to the collector (about 300 MB a step on the char transformer). The Java heap those objects
 * occupy is tiny, so the collector rarely runs on its own; meanwhile every new buffer comes from fresh pages that
 * the kernel must zero. On the char transformer such steps took about 2 s instead of 1 s (80,000 page faults per
 * step); a collection there takes 20–40 ms and lets malloc reuse the freed buffers.
 */
final class CollectorPacer {

    /** Largest share of wall time spent in paced collections. */
    static final double BUDGET = 0.05;
    /** Resident-memory growth that counts as taking fresh memory. */
    static final long GROWTH = 64L << 20;

    private final LongSupplier residentBytes, nanoTime;
    private final Runnable collect;
    private long mark, lastEnd, lastCost;

    CollectorPacer() {
        this(Pointer::physicalBytes, System::nanoTime, System::gc);
    }

    CollectorPacer(LongSupplier residentBytes, LongSupplier nanoTime, Runnable collect) {
        this.residentBytes = residentBytes;
        this.nanoTime = nanoTime;
        this.collect = collect;
        mark = residentBytes.getAsLong();
        lastEnd = nanoTime.getAsLong();
    }

    /** Called after each step; returns whether it collected. */
    boolean afterStep() {
        long now = nanoTime.getAsLong();
        if (residentBytes.getAsLong() < mark + GROWTH || lastCost > BUDGET * (now - lastEnd)) return false;
        collect.run();
        lastEnd = nanoTime.getAsLong();
        lastCost = lastEnd - now;
        mark = residentBytes.getAsLong();
        return true;
    }
}
