package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffCliTest {
    record Outcome(int code, String out, String err) {}

    static Outcome eff(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = EffCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TempDir static Path dir;
    static Path good;

    /** A tiny character language model over a generated text file. */
    static String script(String optimizer, String dataPath) {
        return """
                let d = 8
                data corpus = charText(path = "%s", seqLen = 8)

                model lm() {
                    embed(vocab = 256, dim = d, position = learned)
                    layerNorm()
                    logits(256)
                }

                train lm on corpus {
                    optimizer = %s
                    batch = 4
                    steps = 20
                    checkpoint = "runs/lm.sd"
                }

                evaluate lm on corpus.test { perplexity; accuracy }
                """.formatted(dataPath, optimizer);
    }

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        good = dir.resolve("good.eff");
        Files.writeString(good, script("adam(lr = 1e-2)", "text.txt"));
    }

    @Test
    void checkOfAGoodScriptSucceeds() {
        Outcome o = eff("check", good.toString());
        assertEquals(0, o.code, o.err);
        assertTrue(o.out.contains("good.eff: ok (1 model, 2 jobs)"), o.out);
    }

    @Test
    void scriptErrorsExitWith65AndADiagnostic() throws Exception {
        Path bad = dir.resolve("bad.eff");
        Files.writeString(bad, script("adam(lr = 1e-2)", "text.txt").replace("layerNorm()", "layerNorm(epz = 1e-5)"));
        Outcome check = eff("check", good.toString(), bad.toString());
        assertEquals(65, check.code);
        assertTrue(check.err.contains("bad.eff:6:15: error: unknown parameter 'epz'"), check.err);
        assertEquals(65, eff("run", bad.toString()).code);
        assertEquals(65, eff("summary", bad.toString()).code);
        assertFalse(check.err.contains("Exception"), check.err);
    }

    @Test
    void badUsageExitsWith2() {
        assertEquals(2, eff().code);
        assertEquals(2, eff("frobnicate").code);
        assertEquals(2, eff("run").code);
        assertEquals(2, eff("run", good.toString(), "--steps", "many").code);
        Outcome set = eff("run", good.toString(), "--set", "d");
        assertEquals(2, set.code);
        assertTrue(set.err.contains("--set expects NAME=VALUE"), set.err);
    }

    @Test
    void runTrainsEvaluatesAndWritesTheReport() throws Exception {
        Path report = dir.resolve("out/report.json");
        Files.createDirectories(report.getParent());
        Outcome o = eff("run", good.toString(), "--steps", "6", "--set", "d=4", "--report", report.toString());
        assertEquals(0, o.code, o.err);
        assertTrue(o.out.contains("perplexity"), o.out);
        assertFalse(o.out.contains("Added differentiated op"), o.out);
        assertEquals("", o.err);
        var json = new ObjectMapper().readTree(report.toFile());
        assertEquals(6, json.get("jobs").get(0).get("losses").size());
        assertEquals("4", json.get("overrides").get("d").asText());
        assertTrue(Files.isRegularFile(dir.resolve("runs/lm.sd")), "checkpoint written beside the script");
    }

    @Test
    void resumeContinuesFromTheCheckpointAndRefusesOneOfAnotherRun(@TempDir Path own) throws Exception {
        Files.writeString(own.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path s = own.resolve("s.eff");
        Files.writeString(s, script("adam(lr = 1e-2)", "text.txt"));
        assertEquals(0, eff("run", s.toString(), "--steps", "4", "--checkpoint-every", "2").code);
        assertTrue(Files.exists(own.resolve("runs/lm.sd.resume")));
        Outcome again = eff("run", s.toString(), "--steps", "4", "--resume");
        assertEquals(0, again.code, again.err);
        assertTrue(again.out.contains("resuming from " + own.resolve("runs/lm.sd") + " after step 4"), again.out);
        Outcome other = eff("run", s.toString(), "--steps", "6", "--resume");
        assertEquals(1, other.code, other.out);
        assertTrue(other.err.contains("s.eff:10:1: error: the checkpoint lm.sd.resume was written by another run: steps 4 there, 6 here\n"),
                other.err);
        assertTrue(other.err.contains("hint: delete the checkpoint's .resume file"), other.err);
    }

    @Test
    void missingDataNamesThePathAndExitsWith1() throws Exception {
        Path s = dir.resolve("nodata.eff");
        Files.writeString(s, script("adam()", "absent.txt"));
        Outcome o = eff("run", s.toString(), "--steps", "1");
        assertEquals(1, o.code, o.err);
        assertTrue(o.err.contains(dir.resolve("absent.txt").toString()), o.err);
        assertTrue(o.err.contains("hint:"), o.err);
        assertFalse(o.err.contains("\tat "), o.err);
    }

    @Test
    void divergenceIsADiagnosticAtTheTrainStatement() throws Exception {
        Path s = dir.resolve("diverge.eff");
        Files.writeString(s, script("sgd(lr = 1e30, momentum = 0)", "text.txt"));
        Outcome o = eff("run", s.toString());
        assertEquals(1, o.code, o.err);
        assertTrue(o.err.contains("diverge.eff:10:1: error: training diverged"), o.err);
        assertTrue(o.err.contains("hint: lower the learning rate"), o.err);
    }

    @Test
    void summaryAndDocNeedNoTraining() {
        Outcome s = eff("summary", good.toString());
        assertEquals(0, s.code, s.err);
        assertTrue(s.out.contains("model lm") && s.out.contains("float[B, 8, 256]") && s.out.contains("parameters:"), s.out);
        Outcome d = eff("doc");
        assertEquals(0, d.code);
        assertTrue(d.out.contains("### `crossEntropy`") && d.out.contains("| `labelSmoothing` |"), d.out);
        assertTrue(d.out.contains("### `adamw`") && d.out.contains("| `weightDecay` |"), d.out);
    }

    @Test
    void checkDoesNotLoadNd4j() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), EffCli.class.getName(), "check",
                good.toString()).redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log.lines().filter(l -> !l.startsWith("[")).toList().toString());
        assertTrue(log.contains("good.eff: ok"), "the check ran");
        List<String> nd4j = log.lines().filter(l -> l.contains("org.nd4j.linalg.factory.Nd4j ")).toList();
        assertEquals(List.of(), nd4j);
    }
}
