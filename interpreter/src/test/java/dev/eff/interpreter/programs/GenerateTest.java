package dev.eff.interpreter.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Decoding with key/value caches against the whole model on the growing text, sampling, and generate's checks. */
class GenerateTest {

    static final String LM = """
            data corpus = charText(path = "text.txt", seqLen = 12)
            model lm {
                embed(vocab = 256, dim = 16, position = %s)
                repeat(2) {
                    residual { layerNorm(); attention(softmax, heads = 2, causal = %s) }
                    residual { rmsNorm(); dropout(0.1); mlp(hidden = 32, activation = gelu) }
                }
                layerNorm()
                logits(256)
            }
            train lm on corpus { steps = 1 }
            %s
            """;

    static Frontend.Result check(Path dir, String position, boolean causal, String statement) throws IOException {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("lm.eff");
        Files.writeString(script, LM.formatted(position, causal, statement));
        return Frontend.check(script, Registry.standard(), Map.of());
    }

    /** The model's two decoders over one set of weights: random, scaled up so that logits differ clearly (no argmax ties). */
    record Decoders(TokenModel cached, TokenModel full) {}

    static Decoders decoders(Path dir, String position) throws IOException {
        Frontend.Result r = check(dir, position, true, "generate lm { tokens = 5 }");
        assertTrue(r.ok(), r.diagnostics().render());
        ProgramJob job = (ProgramJob) r.program().jobs().get(1);
        ModelGraph g = job.model();
        Parameters vars = new Parameters(ModelCompiler.namespace(g));
        ModelCompiler compiler = ModelCompiler.standard();
        CompiledModel full = compiler.inference(g, job.data().schema(), vars, 3, DataType.FLOAT);
        vars.all().values().forEach(v -> v.array().muli(4));
        StepCompiler steps = compiler.steps();
        return new Decoders(new TokenModel.Cached(steps.compile(g, vars, 3, DataType.FLOAT, true),
                steps.compile(g, vars, 3, DataType.FLOAT, false), 12), new TokenModel.Full(full));
    }

    static int[] bytes(String s) { return s.chars().toArray(); }

    static List<double[]> logits(TokenModel m, int tokens, Sampler sampler, int[] out) {
        List<double[]> seen = new ArrayList<>();
        int[] t = Decoding.generate(m, bytes("the q"), tokens, sampler, x -> {}, (step, l) -> seen.add(l.clone()));
        System.arraycopy(t, 0, out, 0, t.length);
        return seen;
    }

    @Test
    void cachedDecodingEqualsTheWholeModelOnTheGrowingTextAtEveryStep(@TempDir Path dir) throws IOException {
        for (String position : new String[] {"learned", "sinusoidal"}) {
            Decoders d = decoders(dir, position);
            // 30 tokens after a 5-token prompt run past the 12 positions twice: the window restarts are compared too
            int[] cachedTokens = new int[30], fullTokens = new int[30];
            List<double[]> cached = logits(d.cached(), 30, new Sampler(0, 0, 0), cachedTokens);
            List<double[]> full = logits(d.full(), 30, new Sampler(0, 0, 0), fullTokens);
            assertArrayEquals(fullTokens, cachedTokens, position);
            for (int step = 0; step < full.size(); step++) {
                assertArrayEquals(full.get(step), cached.get(step), 1e-4, position + " step " + step);
            }
        }
    }

    @Test
    void sampledDecodingIsReproducibleWithASeedAndTemperatureZeroIsGreedy(@TempDir Path dir) throws IOException {
        Decoders d = decoders(dir, "learned");
        int[] a = new int[20], b = new int[20], c = new int[20], greedy = new int[20];
        logits(d.cached(), 20, new Sampler(1.0, 0, 5), a);
        logits(d.cached(), 20, new Sampler(1.0, 0, 5), b);
        logits(d.cached(), 20, new Sampler(1.0, 0, 6), c);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c), "another seed, another text");
        List<double[]> seen = logits(d.cached(), 20, new Sampler(0, 0, 9), greedy);
        for (int i = 0; i < 20; i++) assertEquals(Sampler.argmax(seen.get(i)), greedy[i]);
    }

    @Test
    void decodingStopsWhenAskedKeepingTheTokensSoFar(@TempDir Path dir) throws IOException {
        Decoders d = decoders(dir, "learned");
        List<Integer> emitted = new ArrayList<>();
        int[] out = Decoding.generate(d.cached(), bytes("the"), 20, new Sampler(0, 0, 0), emitted::add, Decoding.LogitsListener.NONE,
                () -> emitted.size() == 3);
        assertEquals(3, out.length);
        assertEquals(List.of(out[0], out[1], out[2]), emitted);
    }

    @Test
    void topKOneIsGreedyAtAnyTemperatureAndSamplesFollowTheSoftmax() {
        double[] logits = {0.1, 2.0, -1.0, 1.5};
        Sampler top1 = new Sampler(5.0, 1, 7);
        for (int i = 0; i < 50; i++) assertEquals(1, top1.next(logits));
        Sampler top2 = new Sampler(1.0, 2, 7);
        int[] counts = new int[4];
        int n = 20000;
        for (int i = 0; i < n; i++) counts[top2.next(logits)]++;
        assertEquals(0, counts[0] + counts[2], "only the two most likely tokens");
        double p1 = Math.exp(2.0) / (Math.exp(2.0) + Math.exp(1.5));
        assertEquals(p1, counts[1] / (double) n, 0.02);
    }

    @Test
    void everyLayerOfATransformerLmHasAStepLowering() throws IOException {
        assertNull(StepCompiler.withoutStepLowering(checkedLm(true)));
    }

    private static ModelGraph checkedLm(boolean causal) throws IOException {
        Path dir = Files.createTempDirectory("lm");
        Frontend.Result r = check(dir, "learned", causal, "");
        assertTrue(r.ok(), r.diagnostics().render());
        return r.program().models().values().iterator().next();
    }

    @Test
    void aModelWithALayerWithoutStepLoweringRunsWholeAndSaysSoOnce(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("skip.eff");
        Files.writeString(script, """
                data corpus = charText(path = "text.txt", seqLen = 8)
                model lm {
                    let e = embed(vocab = 256, dim = 16)
                    e |> layerNorm() |> add(e) |> logits(256)
                }
                train lm on corpus { steps = 2 }
                generate lm { prompt = "the", tokens = 12, temperature = 0 }
                generate lm { prompt = "the", tokens = 12, temperature = 0, cache = false }
                """);
        Frontend.Result r = Frontend.check(script, Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().render());
        assertEquals("add", StepCompiler.withoutStepLowering(r.program().models().values().iterator().next()));
        List<String> notes = new ArrayList<>();
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        new dev.eff.interpreter.run.Runner(Registry.standard(), ModelCompiler.standard()).run(r.program(),
                new dev.eff.interpreter.run.Runner.Options(script, dir, Map.of(), 0, 0, 0), new dev.eff.interpreter.run.RunEvents() {
                    @Override public void note(ProgramJob job, String message) { notes.add(message); }
                    @Override public java.io.OutputStream stream(ProgramJob job) { return text; }
                });
        assertEquals(List.of("layer add has no step lowering: generate runs the whole model for every token"), notes);
        String[] both = text.toString(java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", -1);
        assertEquals(both[0], both[1], "the same greedy text either way");
        assertEquals(12, both[0].length());
    }

    @Test
    void generateOnANonCausalModelIsRejectedAtTheModel(@TempDir Path dir) throws IOException {
        Frontend.Result r = check(dir, "learned", false, "generate lm { tokens = 5 }");
        assertFalse(r.ok());
        String out = r.diagnostics().render();
        assertTrue(out.contains("lm.eff:12:10: error: generate: model lm is not causal: block1/residual/attention at 5:33"), out);
    }

    @Test
    void generateRejectsALayerThatReadsLaterPositionsEvenWithoutAnAttention(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("moe.eff");
        Files.writeString(script, """
                data corpus = charText(path = "text.txt", seqLen = 8)
                model lm { embed(vocab = 256, dim = 16); moe(experts = 4, route = expertChoice(k = 2)); logits(256) }
                train lm on corpus { steps = 1 }
                generate lm { tokens = 5 }
                """);
        String out = Frontend.check(script, Registry.standard(), Map.of()).diagnostics().render();
        assertTrue(out.contains("moe.eff:4:10: error: generate: model lm is not causal: moe at 2:42"), out);
    }

    @Test
    void generateOnDataThatIsNotTokenIdsIsRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("d.csv"), "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
        Path script = dir.resolve("c.eff");
        Files.writeString(script, """
                data rows = csv(path = "d.csv", features = ["a", "b"], label = "y", classes = 2)
                model m { dense(8); logits(2) }
                train m on rows { steps = 1 }
                generate m { tokens = 5 }
                """);
        Frontend.Result r = Frontend.check(script, Registry.standard(), Map.of());
        assertFalse(r.ok());
        String out = r.diagnostics().render();
        assertTrue(out.contains("c.eff:4:10: error: generate: model m does not read one sequence of token ids int[B, T]"), out);
    }

    @Test
    void aPromptByteBeyondTheModelsTokenIdsIsRejectedAtThePrompt(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("r.eff");
        Files.writeString(script, """
                data recall = associativeRecall(vocab = 12, pairs = 3, queries = 3, examples = 100)
                model m { embed(vocab = 12, dim = 8); attention(softmax, causal = true); logits(12) }
                train m on recall { steps = 1 }
                generate m { prompt = "a" }
                """);
        String out = Frontend.check(script, Registry.standard(), Map.of()).diagnostics().render();
        assertTrue(out.contains("r.eff:4:23: error: generate: the prompt holds byte 97, beyond the model's 12 token ids"), out);
    }

    @Test
    void generateSettingsAreCheckedLikeCallArguments(@TempDir Path dir) throws IOException {
        String out = check(dir, "learned", true, "generate lm { tokns = 5, temperature = -1 }").diagnostics().render();
        assertTrue(out.contains("12:15: error: unknown parameter 'tokns' of 'generate' (did you mean 'tokens'?)"), out);
        assertTrue(out.contains("12:40: error:"), out);
        String unknown = check(dir, "learned", true, "genrate lm { tokens = 5 }").diagnostics().render();
        assertTrue(unknown.contains("12:1: error: unknown statement 'genrate' (did you mean 'generate'?)"), unknown);
        String untrained = check(dir, "learned", true, "generate lm2 { tokens = 5 }").diagnostics().render();
        assertTrue(untrained.contains("unknown model 'lm2'"), untrained);
    }

    @Test
    void theProgramsAreRegisteredComponents() {
        assertNotNull(Registry.standard().find(dev.eff.dsl.check.Kind.PROGRAM, "generate", null));
        assertNotNull(Registry.standard().find(dev.eff.dsl.check.Kind.PROGRAM, "predict", null));
    }
}
