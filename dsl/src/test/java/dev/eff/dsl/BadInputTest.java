package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.testing.TestCatalog;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input: every file under {@code bad/} (truncated, unbalanced, unterminated, binary, huge numbers,
 * deep nesting, ...) must give at least one error, no internal error, and renderable diagnostics.
 */
class BadInputTest {

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(BadInputTest.class.getResource("/bad").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> assertRejected(Frontend.check(f, TestCatalog.INSTANCE, Map.of()))));
    }

    @Test
    void missingFileAndFolderAreDiagnostics() throws IOException {
        assertRejected(Frontend.check(Path.of("does/not/exist.eff"), TestCatalog.INSTANCE, Map.of()));
        Path dir = Files.createTempDirectory("eff");
        try {
            assertRejected(Frontend.check(dir, TestCatalog.INSTANCE, Map.of()));
        } finally {
            Files.delete(dir);
        }
    }

    /** Every prefix of a valid script (a file cut off anywhere) is rejected cleanly or accepted, never a crash. */
    @Test
    void everyTruncationOfAScript() {
        String text = """
                let d = 16
                data t = toy(vocab = 10, length = 4)
                model m(n = 2) { embed(vocab = 10, dim = d); repeat(n) { residual { dense(d) } }; dense(10) }
                train m(n = 1) on t { steps = 2; loss = crossEntropy() + 0.5 * crossEntropy(smoothing = 0.1) }
                evaluate m(n = 1) on t.test { accuracy; batch = 4 }
                """;
        for (int cut = 0; cut < text.length(); cut++) {
            Frontend.Result r = Frontend.check(new Source("cut.eff", text.substring(0, cut)), TestCatalog.INSTANCE, Map.of());
            assertNoInternalError(r);
        }
    }

    /** Random byte-level mutations of a valid script never crash the front end. */
    @Test
    void randomMutations() {
        String text = "let d = 8\ndata t = toy(vocab = 10, length = 4)\nmodel m { embed(vocab = 10, dim = d) |> dense(10) }\n"
                + "train m on t { steps = 1 }\nevaluate m on t { accuracy }\n";
        String alphabet = "(){}[]|>=,.;:\"*-+/%@#0123456789eE_ abcdmxyz\n";
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            StringBuilder s = new StringBuilder(text);
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertNoInternalError(Frontend.check(new Source("mutant.eff", s.toString()), TestCatalog.INSTANCE, Map.of()));
        }
    }

    private static void assertRejected(Frontend.Result r) {
        assertTrue(r.diagnostics().hasErrors(), "expected an error");
        assertNull(r.program());
        assertNoInternalError(r);
    }

    private static void assertNoInternalError(Frontend.Result r) {
        String rendered = r.diagnostics().render();
        for (Diagnostic d : r.diagnostics().all()) {
            assertFalse(d.message().contains("internal error"), rendered);
        }
        assertTrue(r.diagnostics().hasErrors() == (r.program() == null), rendered);
    }
}
