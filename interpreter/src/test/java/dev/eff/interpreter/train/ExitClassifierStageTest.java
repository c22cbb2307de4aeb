package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.TrainJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ExitLoss;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.VariableRole;
import dev.eff.stdlib.layers.Calm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * CALM's second stage for {@code measure = classifier}: the exit graph's states and tokens against a plain computation,
 * and the stage itself, which trains the exit classifiers alone (the main optimizer never sees them).
 */
class ExitClassifierStageTest {
    static final int T = 12, D = 16, LAYERS = 3;

    static final String LM = """
            data corpus = charText(path = "text.txt", seqLen = 12)
            model lm {
                embed(vocab = 256, dim = 16, position = learned)
                repeat(3) {
                    residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                    residual { layerNorm(); mlp(hidden = 32, activation = gelu) }
                }
                layerNorm()
                exit(calm, measure = classifier, classifierSteps = 60, classifierLr = 0.05)
                logits(256)
            }
            train lm on corpus { steps = 1 }
            """;

    record Setup(TrainJob job, Parameters vars, ModelCompiler compiler, Dataset data) {}

    static Setup setup(Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(40));
        Path script = dir.resolve("lm.eff");
        Files.writeString(script, LM);
        Frontend.Result r = Frontend.check(script, Registry.standard(), Map.of());
        assertTrue(r.ok(), r.diagnostics().render());
        TrainJob job = (TrainJob) r.program().jobs().get(0);
        Parameters vars = new Parameters(ModelCompiler.namespace(job.model()));
        Dataset data = ((DataSource) job.data().spec()).load(job.data().args(), "train", dir);
        return new Setup(job, vars, ModelCompiler.standard(), data);
    }

    @Test
    void theClassifiersAreSecondStageVariablesTheMainOptimizerLeavesAlone(@TempDir Path dir) throws Exception {
        Setup s = setup(dir);
        CompiledModel training = s.compiler().compile(s.job().model(), s.job().data().schema(), s.job().loss(), s.vars(), 3, DataType.FLOAT);
        Parameters.Variable w = s.vars().get(s.vars().fullName("exit", Calm.CLASSIFIER_W));
        Parameters.Variable b = s.vars().get(s.vars().fullName("exit", Calm.CLASSIFIER_B));
        assertEquals(VariableRole.SECOND_STAGE, w.role());
        assertArrayEquals(new long[] {LAYERS - 1, D}, w.array().shape());
        assertArrayEquals(new long[] {LAYERS - 1}, b.array().shape());
        assertTrue(training.parameters().containsKey(w.name()), "the training graph holds them, so checkpoints do");
        assertFalse(ParameterRoles.updated(training, List.of()).containsKey(w.name()));
        assertFalse(ParameterRoles.updated(training, List.of()).containsKey(b.name()));
    }

    @Test
    void theExitGraphGivesEveryExitsNormedStateAndGreedyTokenAsAPlainComputationDoes(@TempDir Path dir) throws Exception {
        Setup s = setup(dir);
        CompiledModel full = s.compiler().inference(s.job().model(), s.job().data().schema(), s.vars(), 3, DataType.FLOAT);
        s.vars().all().values().forEach(v -> v.array().muli(3));   // random weights scaled up: exits that disagree
        CompiledModel exits = s.compiler().exits(s.job().model(), s.job().data().schema(), s.vars(), 3, DataType.FLOAT);
        INDArray ids = s.data().select(new int[] {0, 1}).inputs().get(0);
        Map<String, INDArray> feed = exits.feed(List.of(ids), null, false);
        for (int exit = 1; exit <= LAYERS; exit++) {
            String block = "block" + exit + "/residual2/add";
            INDArray h = full.sd().output(full.feed(List.of(ids), null, false), block).get(block);
            INDArray state = exits.sd().output(feed, ExitLoss.stateName(exit)).get(ExitLoss.stateName(exit));
            INDArray token = exits.sd().output(feed, ExitLoss.tokenName(exit)).get(ExitLoss.tokenName(exit));
            for (int e = 0; e < 2; e++) {
                for (int t = 0; t < T; t++) {
                    double[] normed = plainNorm(s.vars(), h.get(NDArrayIndex.point(e), NDArrayIndex.point(t)).toDoubleVector());
                    double[] got = state.get(NDArrayIndex.point(e), NDArrayIndex.point(t)).toDoubleVector();
                    for (int d = 0; d < D; d++) assertEquals(normed[d], got[d], 1e-4, "exit " + exit + " state at " + t);
                    assertEquals(plainArgmax(s.vars(), normed), token.getInt(e, t), "exit " + exit + " token at " + t);
                }
            }
        }
    }

    /** The final layerNorm of one position, in plain loops. */
    static double[] plainNorm(Parameters vars, double[] h) {
        INDArray g = vars.get(vars.namespace() + "/layerNorm/g").array(), b = vars.get(vars.namespace() + "/layerNorm/b").array();
        double mean = 0, var = 0;
        for (double x : h) mean += x / D;
        for (double x : h) var += (x - mean) * (x - mean) / D;
        double[] out = new double[D];
        for (int i = 0; i < D; i++) out[i] = (h[i] - mean) / Math.sqrt(var + 1e-5) * g.getDouble(i) + b.getDouble(i);
        return out;
    }

    /** argmax of normed·W + b over the vocabulary, in plain loops. */
    static int plainArgmax(Parameters vars, double[] normed) {
        INDArray w = vars.get(vars.namespace() + "/logits/W").array(), b = vars.get(vars.namespace() + "/logits/b").array();
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < w.size(1); v++) {
            double score = b.getDouble(v);
            for (int d = 0; d < D; d++) score += normed[d] * w.getDouble(d, v);
            if (score > bestScore) {
                bestScore = score;
                best = v;
            }
        }
        return best;
    }

    @Test
    void theStageLowersTheClassifiersLossAndTouchesNothingElse(@TempDir Path dir) throws Exception {
        Setup s = setup(dir);
        s.compiler().inference(s.job().model(), s.job().data().schema(), s.vars(), 3, DataType.FLOAT);
        s.vars().all().values().forEach(v -> v.array().muli(3));
        Map<String, INDArray> before = new HashMap<>();
        s.vars().all().forEach((name, v) -> before.put(name, v.array().dup()));
        CompiledModel exits = s.compiler().exits(s.job().model(), s.job().data().schema(), s.vars(), 3, DataType.FLOAT);
        ExitClassifierStage.Result r = ExitClassifierStage.train(exits, s.data(), 8, 3, new StopFlag());
        assertEquals(60, r.steps());
        assertTrue(r.lastLoss() < 0.9 * r.firstLoss(), r.firstLoss() + " → " + r.lastLoss());
        for (int i = 0; i < LAYERS - 1; i++) {
            assertTrue(r.consistent()[i] > 0 && r.consistent()[i] < 1, "both labels occur at exit " + (i + 1) + ": " + r.consistent()[i]);
            assertTrue(r.accuracy()[i] > 0.5, "exit " + (i + 1) + " accuracy " + r.accuracy()[i]);
        }
        s.vars().all().forEach((name, v) -> {
            boolean classifier = v.role() == VariableRole.SECOND_STAGE;
            assertEquals(!classifier, before.get(name).equals(v.array()), name + (classifier ? " was trained" : " stayed as it was"));
        });
        assertTrue(ExitClassifierStage.applies(s.job().model()));
    }
}
