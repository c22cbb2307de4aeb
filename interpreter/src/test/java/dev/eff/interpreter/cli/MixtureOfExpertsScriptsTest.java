package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe(...)} as a user writes it: the card's line, its diagnostics at their positions, and GLaM's summary. */
class MixtureOfExpertsScriptsTest {

    @TempDir Path dir;

    private Path script(String name, String text) throws IOException {
        Files.writeString(dir.resolve("x.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theCardsLineChecksExactlyAsWritten() throws IOException {
        Path f = script("card.eff", """
                data recall = associativeRecall(vocab = 64, pairs = 16, queries = 16)
                model encoder() {
                    embed(vocab = 64, dim = 64)
                    residual { attention(softmax, heads = 4) }
                    residual { moe(experts=64, route=expertChoice(k=2)) }
                    logits(64)
                }
                train encoder on recall { steps = 10 }
                """);
        var o = EffCliTest.eff("check", f.toString());
        assertEquals(EffCli.OK, o.code(), o.err());
    }

    @Test
    void badRoutingSettingsAreReportedAtTheirPositions() throws IOException {
        Path f = script("bad.eff", """
                data corpus = charText(path = "x.txt", seqLen = 32)
                model lm() {
                    embed(vocab = 256, dim = 16)
                    residual { moe(experts = 8, route = tokenChoice(k = 9)) }
                    residual { moe(experts = 0) }
                    residual { moe(experts = 4, route = tokenChoice(capacity = 0)) }
                    residual { moe(experts = 4, route = expertChoice(k = 0.0)) }
                    logits(256)
                }
                train lm on corpus { steps = 1 }
                """);
        var o = EffCliTest.eff("check", f.toString());
        assertEquals(EffCli.SCRIPT_ERROR, o.code(), o.err());
        assertTrue(o.err().contains("bad.eff:4:16: error: moe: tokenChoice(k = 9) needs at least 9 experts, this layer has 8"), o.err());
        assertTrue(o.err().contains("bad.eff:5:30: error: 'experts' must be ≥ 1, got 0"), o.err());
        assertTrue(o.err().contains("bad.eff:6:64: error: 'capacity' must be > 0, got 0"), o.err());
        assertTrue(o.err().contains("bad.eff:7:58: error: 'k' must be > 0, got 0.0"), o.err());
        BadScriptsTest.assertNoStackTrace(o);
        // a shape error makes the stream unknown after it, so this one gets a script of its own
        Path more = script("more.eff", Files.readString(f).replaceAll("(?m)^ +residual \\{ moe.*\n", "")
                .replace("logits(256)", "residual { moe(experts = 4, route = expertChoice(k = 5)) }\n    logits(256)"));
        var m = EffCliTest.eff("check", more.toString());
        assertTrue(m.err().contains("more.eff:4:16: error: moe: expertChoice(k = 5.0) asks for more experts per token than the 4"),
                m.err());
    }

    @Test
    void expertChoiceInACausalModelIsAnErrorUnlessTheScriptOptsIn() throws IOException {
        // the causal attention comes after the moe: the model is causal all the same
        Path f = script("causal.eff", """
                data corpus = charText(path = "x.txt", seqLen = 32)
                model lm() {
                    embed(vocab = 256, dim = 16)
                    residual { moe(experts = 8, route = expertChoice(k = 2)) }
                    residual { moe(experts = 8, route = expertChoice(k = 2, allowCausal = true)) }
                    residual { moe(experts = 8, route = tokenChoice(k = 2)) }
                    residual { attention(softmax, causal = true) }
                    logits(256)
                }
                train lm on corpus { steps = 1 }
                """);
        var o = EffCliTest.eff("check", f.toString());
        assertEquals(EffCli.SCRIPT_ERROR, o.code(), o.err());
        assertTrue(o.err().contains("causal.eff:4:16: error: moe: expert choice routing looks into the future in a causal model"), o.err());
        assertTrue(o.err().contains("the model is causal: residual4/attention at 7:16"), o.err());
        assertEquals(1, o.err().split(": error: ", -1).length - 1, "only the call without allowCausal is an error:\n" + o.err());

        Path bidirectional = script("encoder.eff", Files.readString(f).replace("causal = true", "causal = false"));
        assertEquals(EffCli.OK, EffCliTest.eff("check", bidirectional.toString()).code());
    }

    @Test
    void everyCausalAttentionKindMakesTheModelCausalForExpertChoice() throws IOException {
        for (String attention : new String[] {"attention(performer, causal = true)", "attention(local, window = 8, causal = true)"}) {
            Path f = script("causal_kind.eff", """
                    data corpus = charText(path = "x.txt", seqLen = 32)
                    model lm() {
                        embed(vocab = 256, dim = 16)
                        residual { ATTENTION }
                        residual { moe(experts = 8, route = expertChoice(k = 2)) }
                        logits(256)
                    }
                    train lm on corpus { steps = 1 }
                    """.replace("ATTENTION", attention));
            var o = EffCliTest.eff("check", f.toString());
            assertEquals(EffCli.SCRIPT_ERROR, o.code(), o.err());
            assertTrue(o.err().contains("causal_kind.eff:5:16: error: moe: expert choice routing looks into the future"), o.err());
        }
    }

    /** GLaM 64B/64E: 64 layers, d 8192, feed-forward 32768, 64 experts in every other block, top-2. */
    @Test
    void glamAtItsPublishedSizesSummarisesTotalAndActiveParameters() {
        Path glam = Path.of("..", "scripts", "glam.eff").toAbsolutePath().normalize();
        var o = EffCliTest.eff("summary", glam.toString(), "--set", "layers=64", "--set", "d=8192", "--set", "heads=128",
                "--set", "hidden=32768", "--set", "seqLen=1024");
        assertEquals(EffCli.OK, o.code(), o.err());
        long d = 8192, h = 32768, e = 64;
        long expert = d * h + h + h * d + d, moe = d * e + e * expert, moeActive = d * e + 2 * expert;
        String row = o.out().lines().filter(l -> l.startsWith("block1/residual4/moe ")).findFirst().orElseThrow();
        assertTrue(row.contains(String.format(java.util.Locale.ROOT, "%,d", moe)), row);
        assertTrue(row.contains(String.format(java.util.Locale.ROOT, "%,d", moeActive)), row);
        long dense = 2 * d * h * 2 + 2 * h + h * d + d - 2 * d * h, attention = 4 * d * d + 4 * d, norms = 4 * 2 * d;
        long embed = 256 * d + 1024 * d, head = 2 * d + d * 256 + 256;
        long total = 32 * (2 * attention + dense + moe + norms) + embed + head;
        long active = 32 * (2 * attention + dense + moeActive + norms) + embed + head;
        assertTrue(o.out().contains("parameters: " + String.format(java.util.Locale.ROOT, "%,d (%,d active per token)", total, active)),
                o.out());
        assertTrue(o.out().contains("per token, 1024 tokens)"), o.out());
        assertFalse(o.out().contains("Exception"));
    }

    /** Two numeric weights in one loss formula once gave two graph constants the same name ("loss/const" exists). */
    @Test
    void aLossWithTwoWeightedAuxiliaryTermsTrains() throws IOException {
        Path f = script("aux.eff", """
                data corpus = charText(path = "x.txt", seqLen = 16)
                model lm() {
                    embed(vocab = 256, dim = 8)
                    residual { attention(softmax, causal = true) }
                    residual { moe(experts = 4, hidden = 8) }
                    logits(256)
                }
                train lm on corpus {
                    loss = crossEntropy() + 0.01 * aux.balance + 0.001 * aux.zloss
                    batch = 4
                    steps = 2
                }
                """);
        var o = EffCliTest.eff("run", f.toString(), "--report", dir.resolve("report.json").toString());
        assertEquals(EffCli.OK, o.code(), o.out() + o.err());
        assertTrue(Files.exists(dir.resolve("report-job1-load.png")), o.out());
        assertTrue(o.out().contains("plot written to"), o.out());
    }
}
