package dev.eff.interpreter.programs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** CALM decoding: the exit loop at its two extreme thresholds, and the caches of the blocks a token skips. */
class CalmDecodingTest {
    static final int LAYERS = 3, T = 12, D = 16, HEADS = 2;

    static final String LM = """
            data corpus = charText(path = "text.txt", seqLen = 12)
            model lm {
                embed(vocab = 256, dim = 16, position = learned)
                repeat(3) {
                    residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                    residual { layerNorm(); mlp(hidden = 32, activation = gelu) }
                }
                layerNorm()
                exit(calm, measure = %s)
                logits(256)
            }
            train lm on corpus { steps = 1 }
            generate lm { tokens = 5 }
            """;

    record Setup(ModelGraph graph, Parameters vars, CompiledModel full, ModelCompiler compiler) {
        CalmDecoder calm(String measure, double threshold) {
            return new CalmDecoder(compiler.steps(), graph, vars, 3, T,
                    new CalmDecoder.Policy(measure, threshold, false, 4, 1, 10));
        }

        TokenModel.Cached cached() {
            StepCompiler steps = compiler.steps();
            return new TokenModel.Cached(steps.compile(graph, vars, 3, DataType.FLOAT, true), steps.compile(graph, vars, 3, DataType.FLOAT, false), T);
        }
    }

    static Setup setup(Path dir, String measure) throws IOException {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("lm.eff");
        Files.writeString(script, LM.formatted(measure));
        Frontend.Result r = Frontend.check(script, Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().render());
        ProgramJob job = (ProgramJob) r.program().jobs().get(1);
        Parameters vars = new Parameters(ModelCompiler.namespace(job.model()));
        ModelCompiler compiler = ModelCompiler.standard();
        CompiledModel full = compiler.inference(job.model(), job.data().schema(), vars, 3, DataType.FLOAT);
        // Random weights scaled up, so that logits differ clearly (no argmax ties).
        vars.all().values().forEach(v -> v.array().muli(4));
        return new Setup(job.model(), vars, full, compiler);
    }

    static List<double[]> decode(TokenModel m, int tokens, int[] out) {
        List<double[]> seen = new ArrayList<>();
        int[] t = Decoding.generate(m, "the q".chars().toArray(), tokens, new Sampler(0, 0, 0), x -> {}, (step, l) -> seen.add(l.clone()));
        System.arraycopy(t, 0, out, 0, t.length);
        return seen;
    }

    @Test
    void anUnreachableThresholdRunsEveryBlockAndEqualsTheFullModelExactly(@TempDir Path dir) throws IOException {
        for (String measure : new String[] {"softmax", "state", "classifier"}) {
            Setup s = setup(dir, measure);
            int[] calmTokens = new int[20], fullTokens = new int[20];
            CalmDecoder calm = s.calm(measure, 2.0);
            List<double[]> early = decode(calm, 20, calmTokens);
            List<double[]> full = decode(s.cached(), 20, fullTokens);
            assertArrayEquals(fullTokens, calmTokens, measure);
            for (int i = 0; i < full.size(); i++) assertArrayEquals(full.get(i), early.get(i), 0, measure + " step " + i);
            assertEquals(Collections.nCopies(20, LAYERS), calm.exits(), "every token used every block");
        }
    }

    @Test
    void thresholdZeroExitsAtTheFirstExit(@TempDir Path dir) throws IOException {
        for (String measure : new String[] {"softmax", "state", "classifier"}) {
            CalmDecoder calm = setup(dir, measure).calm(measure, 0);
            decode(calm, 8, new int[8]);
            assertEquals(Collections.nCopies(8, 1), calm.exits(), measure);
        }
    }

    @Test
    void skippedBlocksGetTheExitingStatesKeysAndValues(@TempDir Path dir) throws IOException {
        Setup s = setup(dir, "softmax");
        CalmDecoder calm = s.calm("softmax", 0);
        int[] out = new int[4];
        decode(calm, 4, out);
        // positions 0-3 hold the prompt whose logits nobody reads (every block ran); the logits of positions 4-7, the
        // prompt's last byte and the first three generated tokens, came from exit 1, so blocks 2 and 3 were skipped there
        int[] text = {'t', 'h', 'e', ' ', 'q', out[0], out[1], out[2]};
        int[][] ids = new int[1][T];
        System.arraycopy(text, 0, ids[0], 0, text.length);
        CompiledModel full = s.full();
        String block1 = "block1/residual2/add";
        INDArray h1 = full.sd().output(full.feed(List.of(Nd4j.createFromArray(ids)), null, false), block1).get(block1);
        Map<String, INDArray> caches = calm.caches();
        for (int block = 2; block <= LAYERS; block++) {
            String path = "block" + block + "/residual/attention";
            INDArray k = caches.get(path + "/k"), v = caches.get(path + "/v");
            assertEquals(List.of(1L, (long) HEADS, 8L, (long) (D / HEADS)), List.of(k.size(0), k.size(1), k.size(2), k.size(3)));
            for (int t = 4; t < 8; t++) {
                double[][] kv = plainKeysAndValues(s.vars(), "block" + block + "/residual", h1.get(NDArrayIndex.point(0), NDArrayIndex.point(t)).toDoubleVector());
                for (int head = 0; head < HEADS; head++) {
                    for (int j = 0; j < D / HEADS; j++) {
                        assertEquals(kv[0][head * (D / HEADS) + j], k.getDouble(0, head, t, j), 1e-4, path + " k at " + t);
                        assertEquals(kv[1][head * (D / HEADS) + j], v.getDouble(0, head, t, j), 1e-4, path + " v at " + t);
                    }
                }
            }
        }
    }

    /** layerNorm(h)·Wqkv + bqkv of one position, split into its key and value parts [d] each, in plain loops. */
    static double[][] plainKeysAndValues(Parameters vars, String residual, double[] h) {
        String ns = vars.namespace() + "/" + residual;
        INDArray g = vars.get(ns + "/layerNorm/g").array(), b = vars.get(ns + "/layerNorm/b").array();
        INDArray w = vars.get(ns + "/attention/Wqkv").array(), bias = vars.get(ns + "/attention/bqkv").array();
        double mean = 0, var = 0;
        for (double x : h) mean += x / D;
        for (double x : h) var += (x - mean) * (x - mean) / D;
        double[] n = new double[D];
        for (int i = 0; i < D; i++) n[i] = (h[i] - mean) / Math.sqrt(var + 1e-5) * g.getDouble(i) + b.getDouble(i);
        double[][] kv = new double[2][D];
        for (int part = 0; part < 2; part++) {
            for (int o = 0; o < D; o++) {
                int col = (part + 1) * D + o;
                double sum = bias.getDouble(col);
                for (int i = 0; i < D; i++) sum += n[i] * w.getDouble(i, col);
                kv[part][o] = sum;
            }
        }
        return kv;
    }
}
