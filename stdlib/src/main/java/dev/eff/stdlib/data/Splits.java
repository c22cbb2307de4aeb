package dev.eff.stdlib.data;

import dev.eff.stdlib.DataException;
import java.util.List;
import java.util.SplittableRandom;

/** The two splits every source offers, and the seeded generator of each. */
final class Splits {

    static final List<String> NAMES = List.of("train", "test");

    private Splits() {}

    /** Index of {@code split} in {@link #NAMES}; an unknown name is the caller's error, reported as data error. */
    static int index(String split) throws DataException {
        int i = NAMES.indexOf(split);
        if (i < 0) throw new DataException("unknown split '" + split + "'", "the splits are " + String.join(", ", NAMES));
        return i;
    }

    /**
     * The generator of one split. The two splits get different seeds (an odd multiplier keeps
     * {@code seed·φ + split} distinct for the two splits of every seed), so test examples are not train examples
     * replayed.
     */
    static SplittableRandom random(long seed, String split) throws DataException {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index(split) + 1);
    }
}
