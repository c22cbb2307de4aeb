package dev.eff.interpreter.cli;

import static dev.eff.interpreter.cli.EffCliTest.eff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --set, --steps and file arguments: clear usage errors and one diagnostic per mistake, on every command. */
class CommandOptionsTest {
    @TempDir static Path dir;
    static Path good;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        good = Files.writeString(dir.resolve("good.eff"), "let path = \"text.txt\"\n"
                + EffCliTest.script("adam(lr = 1e-2)", "text.txt").replace("\"text.txt\"", "path"));
    }

    static int errorCount(String err) { return (int) err.lines().filter(l -> l.contains(": error: ")).count(); }

    @Test
    void aWrongOverrideIsOneErrorNamingTheOptionWithTheCaretUnderTheValue() {
        for (String command : new String[] {"check", "summary", "run"}) {
            var o = eff(command, good.toString(), "--set", "d=foo");
            assertEquals(65, o.code(), o.err());
            assertTrue(o.err().startsWith("--set d:1:3: error: override of 'd' must be an int like the script's value 8, got the word 'foo'\n"
                    + "  d=foo\n    ^^^\n"), o.err());
            assertEquals(1, errorCount(o.err()), "no follow-on errors where d is used:\n" + o.err());
        }
    }

    @Test
    void anUnquotedPathOverrideGetsAHintToQuoteIt() {
        var o = eff("check", good.toString(), "--set", "path=/usr/share/x");
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().contains("--set path:1:6: error:"), o.err());
        assertTrue(o.err().contains("hint: to give a string, quote it: --set 'path=\"/usr/share/x\"'"), o.err());
        assertEquals(1, errorCount(o.err()), o.err());
        var word = eff("check", good.toString(), "--set", "path=abc");
        assertTrue(word.err().contains("hint: to give a string, quote it: --set 'path=\"abc\"'"), word.err());
    }

    @Test
    void aTooDeepOverrideIsBlamedOnTheOption() {
        String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);
        var o = eff("check", good.toString(), "--set", "d=" + deep);
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().startsWith("--set d:1:203: error: nested too deeply"), o.err().substring(0, 200));
        assertFalse(o.err().contains("good.eff:1:1"), "the script is not blamed");
    }

    @Test
    void everyCommandThatReadsAScriptAcceptsSet() {
        var check = eff("check", good.toString(), "--set", "d=4");
        assertEquals(0, check.code(), check.err());
        var summary = eff("summary", good.toString(), "--set", "d=4");
        assertEquals(0, summary.code(), summary.err());
        assertTrue(summary.out().contains("float[B, 8, 4]"), summary.out());
    }

    @Test
    void aMissingScriptIsAUsageError() {
        for (String command : new String[] {"check", "summary", "run"}) {
            var o = eff(command, dir.resolve("nonexist.eff").toString());
            assertEquals(2, o.code(), command + ": " + o.err());
            assertTrue(o.err().contains("eff: no such file: " + dir.resolve("nonexist.eff")), o.err());
        }
    }

    @Test
    void stepsOfZeroOrBeyondTheLimitAreUsageErrors() {
        for (String n : new String[] {"0", "3000000000", "-4"}) {
            var o = eff("run", good.toString(), "--steps", n);
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains("--steps must be between 1 and 1000000000, got " + n), o.err());
        }
    }

    @Test
    void hugeStepsAndEpochsAreScriptErrorsAtTheSetting() throws Exception {
        Path steps = Files.writeString(dir.resolve("steps.eff"), Files.readString(good).replace("steps = 20", "steps = 3000000000"));
        var o = eff("check", steps.toString());
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().contains("steps.eff:14:13: error: 'steps' must be in [1, 1000000000], got 3000000000"), o.err());
        Path epochs = Files.writeString(dir.resolve("epochs.eff"), Files.readString(good).replace("steps = 20", "epochs = 2147483647"));
        o = eff("run", epochs.toString());
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().contains("epochs.eff:14:14: error: 'epochs' must be in [1, 1000000], got 2147483647"), o.err());
        BadScriptsTest.assertNoStackTrace(o);
    }

    @Test
    void theKnownLayersHintSaysHowToSeeThemAll() throws Exception {
        Path unknown = Files.writeString(dir.resolve("unknown.eff"), Files.readString(good).replace("layerNorm()", "frobulate()"));
        var o = eff("check", unknown.toString());
        assertEquals(65, o.code(), o.err());
        assertTrue(o.err().matches("(?s).*hint: known layers: .*, \\.\\.\\. \\(\\d+ in all; eff doc lists every one\\).*"), o.err());
    }
}
