package dev.eff.interpreter.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.HookLanguage;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.source.Source;
import dev.eff.stdlib.Registry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groovy hooks through the front end: a compile error is a diagnostic at the line and column of the .eff file (or of
 * the .groovy file) where Groovy found it, with Groovy's words; compiled hooks are cached, so checking a script again
 * loads no new class.
 */
class GroovyHooksTest {
    private static final String SCRIPT = """
            data recall = associativeRecall(vocab = 8, pairs = 2, examples = 64, seed = 1)
            model m { embed(vocab = 8, dim = 8, position = learned); pool(last); logits(8) }
            hook focal = groovy \"""
                { logits, labels ->
                    def p = softmax(logits)
                    -(labels * (1 - p) ** 2 * log(p)).sum(-1).mean(%s
                }
            \"""
            train m on recall { steps = 1; loss = focal }
            """;

    private static Frontend.Result check(String text) {
        return Frontend.check(new Source("test.eff", text), Registry.standard(), Map.of());
    }

    @Test
    void aScriptWithAHookChecks() {
        Frontend.Result r = check(SCRIPT.formatted(")"));
        assertTrue(r.ok(), r.diagnostics().render());
    }

    @Test
    void aGroovySyntaxErrorIsReportedWhereItIsInTheScript() {
        Frontend.Result r = check(SCRIPT.formatted(""));
        assertFalse(r.ok());
        List<Diagnostic> errors = r.diagnostics().all();
        assertEquals(1, errors.size(), r.diagnostics().render());
        Diagnostic d = errors.get(0);
        // Groovy stops at the closing brace on line 7 that the unclosed "mean(" swallowed.
        assertEquals(7, d.span().line(), d.render());
        assertEquals(5, d.span().column(), d.render());
        assertTrue(d.message().startsWith("groovy hook 'focal' does not compile: "), d.message());
        assertFalse(d.render().contains("startup failed"), d.render());
        assertFalse(d.render().contains("\tat "), d.render());
    }

    @Test
    void anUnknownNameInTheHookIsGroovysToFindWhenItRuns() {
        // Groovy resolves names at run time: an unknown method compiles, and fails (at its line) when the graph is built.
        assertTrue(check(SCRIPT.formatted(")").replace("softmax(", "softmux(")).ok());
    }

    @Test
    void anErrorInAGroovyFileIsReportedInThatFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("focal.groovy"), "{ logits, labels ->\n    logits.mean(\n}\n");
        Path script = dir.resolve("train.eff");
        Files.writeString(script, SCRIPT.substring(0, SCRIPT.indexOf("hook")) + "hook focal = groovy \"focal.groovy\"\n"
                + "train m on recall { steps = 1; loss = focal }\n");
        Frontend.Result r = Frontend.check(script, Registry.standard(), Map.of());
        Diagnostic d = r.diagnostics().all().get(0);
        assertTrue(d.span().source().name().endsWith("focal.groovy"), d.render());
        assertEquals(2, d.span().line(), d.render());
        assertEquals(16, d.span().column(), d.render());
    }

    @Test
    void theSameSourceCompilesOnce() throws Exception {
        String code = "{ a, b -> a * b }";
        assertSame(GroovyHooks.compile(code), GroovyHooks.compile(code));
        assertSame(GroovyHooks.compile(code), GroovyHooks.compile(new String(code.toCharArray())));
    }

    @Test
    void checkingAScriptAgainAndAgainLoadsNoNewClasses() {
        String text = SCRIPT.formatted(")");
        for (int i = 0; i < 5; i++) assertTrue(check(text).ok());
        var classes = ManagementFactory.getClassLoadingMXBean();
        long before = classes.getTotalLoadedClassCount();
        for (int i = 0; i < 50; i++) assertTrue(check(text).ok());
        long loaded = classes.getTotalLoadedClassCount() - before;
        assertTrue(loaded < 10, loaded + " classes loaded by 50 checks of the same script");
    }

    @Test
    void distinctSourcesBeyondTheCacheAreDropped() throws Exception {
        var first = GroovyHooks.compile("{ a, b -> a + b } // 0");
        for (int i = 1; i <= GroovyHooks.CACHED; i++) GroovyHooks.compile("{ a, b -> a + b } // " + i);
        var again = GroovyHooks.compile("{ a, b -> a + b } // 0");
        assertFalse(first == again, "the least recently used source was dropped and compiled anew");
    }

    @Test
    void groovyIsTheLanguageInstalled() {
        assertEquals(List.of("groovy"), HookLanguage.installed().stream().map(HookLanguage::name).toList());
    }
}
