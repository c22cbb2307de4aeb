package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What a user sees from the command line for broken scripts, with the real standard library: diagnostics
 * with positions, exit code 65, and never a Java stack trace.
 */
class BadScriptsTest {
    static final Path BAD = Path.of("..", "dsl", "src", "test", "resources", "bad").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyBadScriptGivesDiagnosticsAndExit65() throws IOException {
        try (Stream<Path> files = Files.list(BAD)) {
            return files.filter(p -> p.toString().endsWith(".eff")).sorted().toList().stream()
                    .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                        for (String command : new String[] {"check", "run", "summary"}) {
                            var o = EffCliTest.eff(command, f.toString());
                            assertEquals(EffCli.SCRIPT_ERROR, o.code(), command + " " + f + "\n" + o.err());
                            assertTrue(o.err().contains(f.getFileName() + ":") && o.err().contains(": error: "), o.err());
                            assertNoStackTrace(o);
                        }
                    }));
        }
    }

    @Test
    void theDesignCardCallsCheckAsWritten(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("card.eff");
        Files.writeString(f, """
                data recall = associativeRecall(vocab = 64, pairs = 16)
                model lm(experts = 64) {
                    embed(vocab = 64, dim = 64)
                    moe(experts=64, route=expertChoice(k=2))
                    attention(treeformer)
                    pool(last)
                    logits(64)
                }
                model early {
                    embed(vocab = 64, dim = 64)
                    repeat(2) { residual { layerNorm(); attention(softmax, causal = true) } }
                    layerNorm()
                    exit(calm, delta=0.1)
                    pool(last)
                    logits(64)
                }
                train lm on recall { steps = 10 }
                train early on recall { steps = 10 }
                """);
        var o = EffCliTest.eff("check", f.toString());
        assertEquals(EffCli.OK, o.code(), o.err());
        assertNoStackTrace(o);
    }

    static void assertNoStackTrace(EffCliTest.Outcome o) {
        String all = o.out() + o.err();
        assertFalse(all.contains("\tat ") || all.contains("Exception") || all.contains("Error:"), all);
    }
}
