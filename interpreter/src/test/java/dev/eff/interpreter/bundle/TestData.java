package dev.eff.interpreter.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** Small data files for the bundle tests. */
final class TestData {
    private TestData() {}

    /** Two overlapping blobs named "cat" and "dog" in {@code pets.csv}. */
    static void pets(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        Random r = new Random(4);
        for (int i = 0; i < 200; i++) {
            boolean dog = i % 2 == 0;
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", r.nextGaussian() + (dog ? 1 : -1), r.nextGaussian(), dog ? "dog" : "cat"));
        }
        Files.writeString(dir.resolve("pets.csv"), csv);
    }
}
