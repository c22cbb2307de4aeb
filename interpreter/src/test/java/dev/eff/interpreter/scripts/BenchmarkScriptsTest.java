package dev.eff.interpreter.scripts;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The scripts behind the figures in docs/benchmarks still check, so their commands reproduce. */
class BenchmarkScriptsTest {
    static final Path DOCS = Path.of("..", "docs", "benchmarks").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyBenchmarkScriptChecks() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(DOCS)) {
            all = s.filter(p -> p.toString().endsWith(".eff")).sorted().toList();
        }
        assertFalse(all.isEmpty(), "no scripts in " + DOCS);
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> ScriptsTest.check(p, Map.of())));
    }
}
