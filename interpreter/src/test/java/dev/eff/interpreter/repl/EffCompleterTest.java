package dev.eff.interpreter.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Kind;
import dev.eff.stdlib.Registry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab completion from the registry's signatures and the session's names, and when an entry continues. */
class EffCompleterTest {
    @TempDir Path dir;

    private EffCompleter completer() {
        var names = new ReplSession.Names(Set.of("d"), Set.of("recall"), Set.of("lm", "reader"));
        return new EffCompleter(Registry.standard(), () -> names, Map::of, dir);
    }

    /** The candidates for the word that ends {@code typed} (the reader filters them by that word's prefix). */
    private List<String> at(String typed) {
        int start = typed.length();
        while (start > 0 && (Character.isLetterOrDigit(typed.charAt(start - 1)) || typed.charAt(start - 1) == '_')) start--;
        return completer().candidates(typed, start).stream().map(Candidate::value).toList();
    }

    @Test
    void layersInAModelBody() {
        List<String> c = at("model m {\n    embed(vocab = 4, dim = 8)\n    att");
        assertTrue(c.containsAll(Registry.standard().names(Kind.LAYER)), c.toString());
        assertTrue(c.containsAll(List.of("residual", "repeat", "input")), c.toString());
        assertFalse(c.contains("adamw"), c.toString());
        assertTrue(at("model m { residual { layerNorm(); ").contains("attention"));
    }

    @Test
    void variantsFirstThenParametersInsideACall() {
        List<String> first = at("model m { attention(");
        assertTrue(first.containsAll(List.of("softmax", "performer", "local", "treeformer")), first.toString());
        assertTrue(first.containsAll(List.of("heads = ", "causal = ", "features = ", "window = ")), first.toString());
        List<String> later = at("model m { attention(performer, ");
        assertFalse(later.contains("softmax"), later.toString());
        assertTrue(later.contains("kernel = "), later.toString());
        assertEquals(List.of("units = ", "bias = ", "activation = "), at("model m { dense("));
    }

    @Test
    void choicesAndComponentsAfterAnEquals() {
        assertTrue(at("model m { dense(4, activation = ").containsAll(List.of("relu", "gelu", "none")));
        assertTrue(at("model m { moe(experts = 4, route = ").containsAll(List.of("expertChoice", "tokenChoice")));
        assertTrue(at("model m { attention(causal = ").containsAll(List.of("true", "false")));
        assertTrue(at("train lm on recall {\n  optimizer = ").containsAll(List.of("adam", "adamw")));
        assertTrue(at("train lm on recall { loss = ").contains("crossEntropy"));
        assertTrue(at("data x = ").contains("associativeRecall"));
        assertTrue(at("train lm on recall { optimizer = adamw(").contains("lr = "));
    }

    @Test
    void settingsMetricsAndProgramSettingsInTheirBlocks() {
        assertTrue(at("train lm on recall { ").containsAll(List.of("optimizer = ", "steps = ", "batch = ", "freeze = ")));
        List<String> eval = at("evaluate lm on recall.test { accuracy; ");
        assertTrue(eval.containsAll(List.of("accuracy", "perplexity", "batch = ")), eval.toString());
        assertTrue(at("generate lm { ").containsAll(List.of("prompt = ", "tokens = ", "temperature = ")));
    }

    @Test
    void sessionNamesWhereTheyGo() {
        assertEquals(List.of("lm", "reader"), at("train "));
        assertEquals(List.of("lm", "reader"), at("generate "));
        assertEquals(List.of("recall"), at("train lm on "));
        assertTrue(at("").containsAll(List.of("let", "model", "train", "predict", "generate")));
        assertTrue(at("model m { dense(").size() > 0);
        assertTrue(at("let e = ").contains("d"));
    }

    @Test
    void commandsAndTheirArguments() throws Exception {
        Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(dir.resolve("scripts/a.eff"), "let a = 1\n");
        Files.writeString(dir.resolve("notes.txt"), "");
        EffCompleter c = completer();
        assertEquals(EffCompleter.COMMANDS.stream().sorted().toList(), c.candidates(":su", 0).stream().map(Candidate::value).toList());
        assertEquals(List.of("lm", "reader"), c.candidates(":summary ", 9).stream().map(Candidate::value).toList());
        assertEquals(List.of("scripts/"), c.candidates(":load ", 6).stream().map(Candidate::value).toList());
        assertEquals(List.of("scripts/a.eff"), c.candidates(":load scripts/", 6).stream().map(Candidate::value).toList());
        assertTrue(c.candidates(":doc ", 5).stream().map(Candidate::value).toList().containsAll(List.of("dense", "adamw", "generate")));
    }

    @Test
    void anEntryContinuesWhileABracketOrCommentIsOpen() {
        assertEquals("}", EffLineParser.missing("model m {\n  dense(4)"));
        assertEquals(")", EffLineParser.missing("model m { dense(4,"));
        assertEquals("*/", EffLineParser.missing("let d = 4 /* a note"));
        assertNull(EffLineParser.missing("model m { dense(4) }"));
        assertNull(EffLineParser.missing("let s = \"{(\""), "brackets in strings do not count");
        assertNull(EffLineParser.missing("let d = 4 // {"), "nor in comments");
        assertNull(EffLineParser.missing("model m { dense(4) }}"), "a stray closer is the parser's to report");
    }

    @Test
    void tabCompletesOnATerminal() throws Exception {
        var out = new ByteArrayOutputStream();
        var typed = new java.io.PipedOutputStream();
        var in = new java.io.PipedInputStream(typed, 1 << 16);
        // A dumb terminal takes Tab for a character; completion needs one that can redraw the line.
        try (var t = org.jline.terminal.TerminalBuilder.builder().system(false).streams(in, out).type("ansi")
                .encoding(StandardCharsets.UTF_8).build()) {
            t.echo(false);
            typed.write("model m { layerN\t }\n:summ\t m\n".getBytes(StandardCharsets.UTF_8));
            typed.close();
            new Repl(t, null, dir).run();
        }
        String shown = ReplTest.shown(out).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "").replaceAll("\r", "");
        assertTrue(shown.contains("defined model m"), shown);
        assertTrue(shown.contains("model m { layerNorm }"), "completed to the only layer starting so: " + shown);
        assertTrue(shown.contains("model m has no shapes yet"), ":summ completed to :summary: " + shown);
    }
}
