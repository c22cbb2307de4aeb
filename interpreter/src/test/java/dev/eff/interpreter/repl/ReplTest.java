package dev.eff.interpreter.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.cli.EffCli;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REPL sessions scripted end to end: typed input in, what the terminal shows out (a dumb terminal over streams). */
class ReplTest {
    @TempDir static Path dir;

    static final String DATA = "data corpus = charText(path = \"text.txt\", seqLen = 8)\n";
    static final String MODEL = """
            model lm {
                embed(vocab = 256, dim = 8, position = learned)
                layerNorm()
                logits(256)
            }
            """;
    static final String TRAIN = "train lm on corpus { optimizer = adam(lr = 1e-2); batch = 4; steps = 20; seed = 3 }\n";
    static final String EVALUATE = "evaluate lm on corpus.test { accuracy; perplexity }\n";

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
    }

    /** Runs a REPL over {@code input} to its end; returns everything it printed. */
    static String session(String input) throws Exception {
        var out = new ByteArrayOutputStream();
        var typed = new PipedOutputStream();
        var in = new PipedInputStream(typed, 1 << 20);
        try (Terminal t = terminal(in, out)) {
            // Typed once the terminal no longer echoes, so only what the REPL prints is seen.
            typed.write(input.getBytes(StandardCharsets.UTF_8));
            typed.close();
            assertEquals(0, new Repl(t, dir.resolve("history"), dir).run());
        }
        return shown(out);
    }

    /** What the terminal shows, with its line ends as "\n". */
    static String shown(ByteArrayOutputStream out) { return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"); }

    /** A dumb terminal over the given streams that does not echo what is typed (the reader shows each line it reads). */
    static Terminal terminal(java.io.InputStream in, java.io.OutputStream out) throws Exception {
        Terminal t = TerminalBuilder.builder().system(false).streams(in, out).type(Terminal.TYPE_DUMB).encoding(StandardCharsets.UTF_8).build();
        t.echo(false);
        return t;
    }

    /** The results-table row of {@code metric}, e.g. "accuracy 0.1234". */
    static String metric(String output, String metric) {
        Matcher m = Pattern.compile("(?m)\\b" + metric + "\\s+([0-9.]+)").matcher(output);
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    @Test
    void constantsDataAndModelsAreDefinedAndARedefinitionReplacesTheEarlierOne() throws Exception {
        String out = session("""
                let d = 8
                let d = d * 2
                let wide = d * 4
                model m { dense(d) }
                model m { dense(wide) }
                let m = 3
                """);
        assertTrue(out.contains("d = 8"), out);
        assertTrue(out.contains("d = 16"), out);
        assertTrue(out.contains("wide = 64"), out);
        assertTrue(out.contains("defined model m"), out);
        assertTrue(out.contains("replaced model m"), out);
        assertTrue(out.contains("m = 3"), out);
        assertFalse(out.contains("already defined"), out);
    }

    @Test
    void anUnclosedBraceContinuesOnTheNextLine() throws Exception {
        String out = session("model m {\n    dense(4)\n\n    dense(2, activation = relu)\n}\n:summary m\n");
        assertTrue(out.contains("defined model m"), out);
        assertTrue(out.contains("...> "), "a continuation prompt: " + out);
        assertTrue(out.contains("no shapes yet"), out);
    }

    @Test
    void errorsShowWithCaretsAndHintsAndTheSessionGoesOn() throws Exception {
        String out = session("""
                model m { attention(softmax, head = 4) }
                let x = 1
                :load missing.eff
                :nope
                :doc atention
                """);
        assertTrue(out.contains("[1]:1:30: error: unknown parameter 'head' of 'attention(softmax)' (did you mean 'heads'?)"), out);
        assertTrue(out.contains("\n  model m { attention(softmax, head = 4) }\n" + " ".repeat(31) + "^^^^\n"), "a caret under the mistake: " + out);
        assertTrue(out.contains("1 error"), out);
        assertTrue(out.contains("x = 1"), "the next entry is evaluated: " + out);
        assertTrue(out.contains("error: cannot read 'missing.eff': no such file"), out);
        assertTrue(out.contains("error: unknown command ':nope'"), out);
        assertTrue(out.contains("error: no component 'atention' (did you mean 'attention'?)"), out);
    }

    @Test
    void aRejectedEntryLeavesTheSessionAsItWas() throws Exception {
        String out = session("""
                let d = 8
                model m { dense(d) }
                let d = "wide"
                let e = d + 1
                """);
        assertTrue(out.contains("error"), out);
        assertTrue(out.contains("e = 9"), "d is still 8 after the rejected redefinition: " + out);
    }

    @Test
    void statementsRunAsInAScriptAndTrainedWeightsStayForLaterStatements() throws Exception {
        Path script = Files.writeString(dir.resolve("same.eff"), DATA + MODEL + TRAIN + EVALUATE);
        var scriptOut = new ByteArrayOutputStream();
        assertEquals(EffCli.OK, EffCli.execute(new String[] {"run", script.toString()}, new PrintStream(scriptOut, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        String expected = metric(scriptOut.toString(StandardCharsets.UTF_8), "accuracy");

        String out = session(DATA + MODEL + TRAIN + EVALUATE + ":summary lm\n:shape lm\n:train lm on corpus { steps = 2; batch = 4 }\n");
        assertTrue(out.contains("train lm: 20 steps over"), out);
        assertEquals(expected, metric(out, "accuracy"), "the trained model evaluated in a later entry, as in the script: " + out);
        assertTrue(out.contains("model lm\n"), out);
        assertTrue(out.contains("parameters: "), out);
        assertTrue(out.contains("model lm: int[B, 8] → float[B, 8, 256]"), out);
        assertTrue(out.contains("train lm: 2 steps over"), ":train STATEMENT is the statement: " + out);
    }

    @Test
    void trainAgainContinuesTheModelAndARedefinedModelStartsAfresh() throws Exception {
        Path untrained = Files.writeString(dir.resolve("untrained.eff"), DATA + MODEL + EVALUATE);
        var scriptOut = new ByteArrayOutputStream();
        assertEquals(EffCli.OK, EffCli.execute(new String[] {"run", untrained.toString()}, new PrintStream(scriptOut, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        String initial = metric(scriptOut.toString(StandardCharsets.UTF_8), "perplexity");

        Path twice = Files.writeString(dir.resolve("twice.eff"), DATA + MODEL + TRAIN + TRAIN.replace("steps = 20", "steps = 5") + EVALUATE);
        scriptOut.reset();
        assertEquals(EffCli.OK, EffCli.execute(new String[] {"run", twice.toString()}, new PrintStream(scriptOut, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        String continued = metric(scriptOut.toString(StandardCharsets.UTF_8), "perplexity");

        String out = session(DATA + MODEL + TRAIN + ":train 5\n" + EVALUATE + MODEL + EVALUATE);
        assertTrue(out.contains("train lm: 5 steps over"), out);
        assertTrue(out.contains("note: lm starts afresh"), out);
        var m = Pattern.compile("(?m)\\bperplexity\\s+([0-9.]+)").matcher(out);
        assertTrue(m.find());
        assertEquals(continued, m.group(1), ":train 5 continued the weights and optimizer, as a second train statement does: " + out);
        assertTrue(m.find());
        assertEquals(initial, m.group(1), "the redefined model evaluated with its initial weights: " + out);
    }

    @Test
    void historyFromEarlierEntriesStillBindsModels() throws Exception {
        String out = session(DATA + MODEL + TRAIN + """
                data corpus = charText(path = "text.txt", seqLen = 4)
                generate lm { prompt = "the ", tokens = 4, seed = 1 }
                generate lm { prompt = "the ", tokenz = 4 }
                """);
        assertTrue(out.contains("replaced data corpus"), out);
        String before = out.substring(0, out.indexOf("eff> generate lm { prompt = \"the \", tokenz"));
        assertFalse(before.contains("error"), "the train statement of entry 3 binds lm for generate: " + out);
        String mistake = out.substring(before.length());
        assertTrue(mistake.contains("(did you mean 'tokens'?)"), mistake);
        assertFalse(mistake.contains("not trained"), "the mistake is shown against the session's history: " + mistake);
    }

    @Test
    void anEarlierStatementThatNoLongerChecksIsDroppedNotHeldAgainstARedefinition() throws Exception {
        String out = session(DATA + MODEL + TRAIN + "model lm { embed(vocab = 256, dim = 8, position = learned); pool(mean); logits(3) }\n"
                + ":summary lm\n" + TRAIN);
        assertTrue(out.contains("replaced model lm"), out);
        assertTrue(out.contains("model lm has no shapes yet"), "the old train statement no longer binds it: " + out);
        assertTrue(out.contains("error:"), "training the new model on the old data is an error: " + out);
    }

    @Test
    void ctrlCStopsATrainingRunAfterItsCurrentStepAndTheReplGoesOn() throws Exception {
        var out = new ByteArrayOutputStream();
        var typed = new PipedOutputStream();
        var in = new PipedInputStream(typed);
        try (Terminal t = terminal(in, out)) {
            Thread repl = new Thread(() -> new Repl(t, dir.resolve("history"), dir).run());
            repl.start();
            typed.write((DATA + MODEL + TRAIN.replace("steps = 20", "steps = 1000000")).getBytes(StandardCharsets.UTF_8));
            typed.flush();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!out.toString(StandardCharsets.UTF_8).contains("steps over") && System.nanoTime() < deadline) Thread.sleep(50);
            Thread.sleep(300);
            t.raise(Terminal.Signal.INT);
            while (!out.toString(StandardCharsets.UTF_8).contains("interrupted after step") && System.nanoTime() < deadline) Thread.sleep(50);
            typed.write((EVALUATE + ":quit\n").getBytes(StandardCharsets.UTF_8));
            typed.flush();
            repl.join(120_000);
            assertFalse(repl.isAlive(), "the REPL quit when asked");
        }
        String shown = shown(out);
        assertTrue(shown.contains("eff: stopping after the current step"), shown);
        assertTrue(shown.matches("(?s).*eff: interrupted after step \\d+ of 1000000 \\(\\[3\\]:1:1\\).*"), shown);
        assertTrue(metric(shown, "accuracy") != null, "the interrupted model is evaluated afterwards: " + shown);
    }

    @Test
    void historyIsKeptInTheGivenFile() throws Exception {
        session("let kept = 42\n");
        assertTrue(Files.readString(dir.resolve("history")).contains("let kept = 42"));
    }

    @Test
    void helpAndDoc() throws Exception {
        String out = session(":help\n:doc dense\n:doc attention(performer)\n:quit\nlet never = 1\n");
        assertTrue(out.contains(":load FILE"), out);
        assertTrue(out.contains("dense (layer)"), out);
        assertTrue(out.matches("(?s).*units\\s+int ≥ 1\\s+required\\s+output width.*"), out);
        assertTrue(out.contains("attention(performer) (layer)"), out);
        assertFalse(out.contains("attention(softmax) (layer"), out);
        assertFalse(out.contains("never = 1"), "nothing after :quit: " + out);
    }

    @Test
    void loadEvaluatesAFileWithItsPathsRelativeToItsFolder() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.writeString(sub.resolve("text.txt"), "pack my box with five dozen liquor jugs. ".repeat(20));
        Files.writeString(sub.resolve("lm.eff"), DATA + MODEL + "let broken = nothing + 1\n");
        String out = session(":load sub/lm.eff\n");
        assertTrue(out.contains("sub/lm.eff:7:"), "errors name the file: " + out);
        Files.writeString(sub.resolve("lm.eff"), DATA + MODEL + TRAIN);
        out = session(":load sub/lm.eff\n");
        assertTrue(out.contains("train lm: 20 steps over"), out);
    }
}
