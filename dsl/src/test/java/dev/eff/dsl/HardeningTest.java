package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.parse.Parser;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.testing.TestCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that once hung the checker, ran it out of memory or flooded the terminal; each test names its symptom. */
class HardeningTest {

    private static Frontend.Result check(String text) {
        return Frontend.check(new Source("t.eff", text), TestCatalog.INSTANCE, Map.of());
    }

    private static Diagnostic only(Frontend.Result r) {
        List<Diagnostic> all = r.diagnostics().all();
        assertEquals(1, all.size(), r.diagnostics().render());
        return all.get(0);
    }

    @Test
    void didYouMeanOnTwoHugeNamesDoesNotRunOutOfMemory() {
        String name = "w".repeat(50_000);
        Frontend.Result r = check("let " + name + "a = 1\nlet y = " + name + "b + 1\n");
        Diagnostic d = only(r);
        assertTrue(d.message().startsWith("unknown name 'wwww"), d.message());
        assertFalse(d.message().contains("did you mean"), d.message());
    }

    @Test
    void didYouMeanStillSuggestsCloseNames() {
        Diagnostic d = only(check("let hidden = 4\nlet y = hiden * 2\n"));
        assertTrue(d.message().contains("(did you mean 'hidden'?)"), d.message());
    }

    @Test
    void importOfDevZeroIsTooLargeAtTheImport(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main.eff");
        Files.writeString(main, "let a = 1\nimport \"/dev/zero\"\n");
        Diagnostic d = only(Frontend.check(main, TestCatalog.INSTANCE, Map.of()));
        assertEquals("cannot import '/dev/zero': it is too large for a script (more than 4 MB)", d.message());
        assertEquals(2, d.span().line());
        assertEquals(8, d.span().column());
    }

    @Test
    void importOfABinaryFileIsNotATextFileOnce(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main.eff");
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i * 37);
        Files.write(dir.resolve("blob.bin"), binary);
        Files.writeString(main, "import \"blob.bin\"\n");
        Diagnostic d = only(Frontend.check(main, TestCatalog.INSTANCE, Map.of()));
        assertEquals("cannot import 'blob.bin': it is not a text file: it contains binary data", d.message());
        assertEquals("1:8", d.span().line() + ":" + d.span().column());
    }

    @Test
    void checkOfDevZeroIsTooLarge() {
        Diagnostic d = only(Frontend.check(Path.of("/dev/zero"), TestCatalog.INSTANCE, Map.of()));
        assertEquals("this file is too large for a script (more than 4 MB)", d.message());
    }

    @Test
    void hugeScriptTextIsRefusedBeforeParsing() {
        Diagnostic d = only(check("let a = 1\n".repeat(Frontend.MAX_SCRIPT_BYTES / 10 + 1)));
        assertTrue(d.message().contains("too large for a script"), d.message());
    }

    @Test
    void deepNestingIsReportedAtTheBracketThatGoesTooDeep() {
        for (int depth : new int[] {30_000, 100_000}) {
            String text = "data x = " + "f(".repeat(depth) + ")".repeat(depth) + "\n";
            Diagnostic d = only(check(text));
            assertTrue(d.message().startsWith("nested too deeply"), d.message());
            assertEquals(1, d.span().line());
            assertEquals("data x = ".length() + 2 * (Parser.MAX_NESTING + 1), d.span().column());
        }
    }

    @Test
    void longOperatorChainsAreNestingToo() {
        Diagnostic d = only(check("let a = " + "-".repeat(100_000) + "1\n"));
        assertTrue(d.message().startsWith("nested too deeply"), d.message());
        assertTrue(only(check("let a = 1" + " + 1".repeat(100_000) + "\n")).message().startsWith("nested too deeply"));
        assertTrue(only(check("let a = 2" + " ** 1".repeat(100_000) + "\n")).message().startsWith("nested too deeply"));
    }

    @Test
    void moderateNestingStillChecks() {
        Frontend.Result r = check("let a = " + "(".repeat(150) + "1" + ")".repeat(150) + " + 1" + " - 1".repeat(40) + "\n"
                + "data t = toy()\nmodel m { embed(vocab = 64, dim = 4) }\ntrain m on t { steps = 1; loss = mse() }\n");
        assertFalse(r.diagnostics().all().stream().anyMatch(d -> d.message().contains("nested")), r.diagnostics().render());
    }

    @Test
    void twentyThousandErrorsAreCappedWithAndMore() {
        String text = "data t = toy()\nmodel m { embed(vocab = 10, dim = 4) |> dense(1" + ", 1".repeat(20_000) + ") }\n";
        Frontend.Result r = check(text);
        String rendered = r.diagnostics().render();
        assertTrue(r.diagnostics().all().size() <= Diagnostics.MAX_KEPT);
        assertTrue(rendered.contains("... and "), () -> rendered.substring(0, Math.min(2000, rendered.length())));
        assertTrue(rendered.length() < 50_000, "rendered " + rendered.length() + " characters");
        assertTrue(rendered.endsWith(r.diagnostics().errorCount() + " errors\n"));
    }

    @Test
    void megabyteIdentifierAndHugeNumberAreAbbreviatedInMessages() {
        String name = "x".repeat(1_000_000);
        Diagnostic d = only(check("let a = " + name + " + 1\n"));
        assertTrue(d.message().length() < 300, () -> d.message().substring(0, 300));
        assertTrue(d.message().contains(" characters)..."), d.message());
        String digits = "9".repeat(100_000);
        Diagnostic n = only(check("let a = " + digits + "\n"));
        assertTrue(n.message().length() < 300 && n.render().length() < 1000, n::render);
    }

    @Test
    void crOnlyLineEndingsGiveTheRightLineAndNoRawCarriageReturn() {
        Frontend.Result r = check("let a = 1\rlet b = 2\rlet c = nope + 1\r");
        Diagnostic d = only(r);
        assertEquals(3, d.span().line());
        assertEquals(9, d.span().column());
        String rendered = r.diagnostics().render();
        assertFalse(rendered.contains("\r"), rendered);
        assertTrue(rendered.contains("\n  let c = nope + 1\n"), rendered);
    }

    @Test
    void controlCharactersOnTheShownLineAreNotPrintedRaw() {
        String rendered = check("let a = nope \u001b[31m\n").diagnostics().render();
        assertFalse(rendered.contains("\u001b"), rendered);
    }

    @Test
    void unrolledRepeatBudgetLeavesOrdinaryDeepModelsAlone() {
        Frontend.Result r = check("data t = toy()\nmodel m { embed(vocab = 64, dim = 4); repeat(96) { residual { dense(4) } |> norm() } }\n"
                + "train m on t { steps = 1; loss = mse() }\n");
        assertFalse(r.diagnostics().all().stream().anyMatch(d -> d.message().contains("unrolls")), r.diagnostics().render());
    }

    @Test
    void crOnlySyntaxErrorAfterALineBreakIsPlacedWhereTheLineEnded() {
        List<String> lf = check("let a = (1 +\nlet b = 2\n").diagnostics().all().stream().map(Diagnostic::headline).toList();
        List<String> cr = check("let a = (1 +\rlet b = 2\r").diagnostics().all().stream().map(Diagnostic::headline).toList();
        assertEquals("t.eff:1:13: error: expected a value, found the keyword 'let'", lf.get(0));
        assertEquals(lf, cr);
    }

    /** Found by FrontendFuzzTest: the quoted expression spanned a lone \r, which reached the terminal raw. */
    @Test
    void messageQuotingAnExpressionAcrossACarriageReturnStaysOnOneLine() {
        Frontend.Result r = check("let d = 1 / 0.0\rlet e = 2\r** 9999\r");
        String rendered = r.diagnostics().render();
        assertFalse(rendered.contains("\r"), rendered);
        assertTrue(rendered.contains("integer overflow in '2 ** 9999'"), rendered);
    }
}
