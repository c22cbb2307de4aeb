package dev.eff.interpreter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.DataBinding;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bundle written by {@code save} predicts what the model predicted in the run that trained it (against the
 * probabilities {@code predict} wrote in that run), records schema, configuration and metrics, and is refused cleanly
 * when truncated, damaged, foreign or from a newer format.
 */
class BundleTest {

    static final String PETS = """
            data pets = csv(path = "pets.csv", features = ["a", "b"], label = "kind", classes = 2, testFraction = 0.3)
            model m { dense(16, activation = relu); logits(2) }
            train m on pets { steps = 40, batch = 16, seed = 2, optimizer = adam(lr = 0.03) }
            evaluate m on pets.test { accuracy }
            predict m on pets.test { to = "out/preds.json" }
            save m { to = "out/m.effb" }
            """;

    static final String RECALL = """
            data recall = associativeRecall(vocab = 16, pairs = 3, examples = 200, seed = 7)
            model r {
                embed(vocab = 16, dim = 16, position = learned)
                residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                residual { layerNorm(); mlp(hidden = 32, activation = gelu) }
                layerNorm()
                pool(last)
                logits(16)
            }
            train r on recall { steps = 5, batch = 8, seed = 3 }
            predict r on recall.test { to = "out/preds.json" }
            save r on recall { to = "out/r.effb" }
            """;

    /** Runs {@code script} in {@code dir} and returns its test split, as the data source loads it. */
    static Dataset run(Path dir, String script) throws Exception {
        Files.writeString(dir.resolve("s.eff"), script);
        Frontend.Result checked = Frontend.check(dir.resolve("s.eff"), Registry.standard(), Map.of());
        assertTrue(checked.ok(), checked.diagnostics().render());
        assertTrue(OutputCheck.check(checked.program(), dir, null).ok());
        new Runner(Registry.standard(), ModelCompiler.standard())
                .run(checked.program(), new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
        DataBinding data = checked.program().data().values().iterator().next();
        return ((DataSource) data.spec()).load(data.args(), "test", dir);
    }

    /** The probabilities predict wrote, one row per example. */
    static double[][] written(Path json) throws Exception {
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("predictions");
        double[][] p = new double[rows.size()][];
        for (int i = 0; i < p.length; i++) {
            JsonNode r = rows.get(i).get("probabilities");
            p[i] = new double[r.size()];
            for (int j = 0; j < r.size(); j++) p[i][j] = r.get(j).asDouble();
        }
        return p;
    }

    static void assertSamePredictions(double[][] expected, INDArray logits) {
        INDArray p = Nd4j.nn().softmax(logits, 1);
        assertEquals(expected.length, p.size(0));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) assertEquals(expected[i][j], p.getDouble(i, j), 1e-5, "example " + i);
        }
    }

    @Test
    void aSavedClassifierPredictsAsTheTrainedModelDidAndRecordsItsRun(@TempDir Path dir) throws Exception {
        TestData.pets(dir);
        Dataset test = run(dir, PETS);
        Bundle b = Bundle.read(dir.resolve("out/m.effb"));
        assertSamePredictions(written(dir.resolve("out/preds.json")), b.predict(test.inputs().toArray(INDArray[]::new)));

        Bundle.Schema s = b.schema();
        assertEquals(List.of("cat", "dog"), s.classNames());
        assertEquals(2, s.classes());
        assertEquals(1, s.inputs().size());
        assertEquals("(B, 2)", s.inputs().get(0).describe());
        assertEquals(ModelCompiler.OUTPUT, s.output().name(), "the output has a stable name, not an op's");
        assertEquals(List.of("dense/W", "dense/b", "logits/W", "logits/b"), b.manifest().parameters().stream().map(Bundle.Parameter::name).toList());
        assertEquals(2, b.manifest().seed());
        assertTrue(b.manifest().metrics().get("pets.test/accuracy") > 0.5, b.manifest().metrics().toString());
        assertTrue(b.script().contains("save m"), "the script is kept");
        @SuppressWarnings("unchecked")
        var train = (List<Map<String, Object>>) b.manifest().configuration().get("train");
        assertTrue(String.valueOf(train.get(0).get("optimizer")).contains("beta2"), "defaults written out: " + train);
        @SuppressWarnings("unchecked")
        var layers = (List<Map<String, Object>>) ((Map<String, Object>) b.manifest().configuration().get("model")).get("layers");
        assertEquals("dense(units = 16, bias = true, activation = relu)", layers.get(0).get("call"));

        float[][] one = b.predict(new float[][] {{0.5f, -1f}});
        assertEquals(2, one[0].length);
        var wrong = assertThrows(IllegalArgumentException.class, () -> b.predict(new float[][] {{1f, 2f, 3f}}));
        assertEquals("input 'x' has shape (1, 3), the model reads (B, 2)", wrong.getMessage().replace(s.inputs().get(0).name(), "x"));
    }

    @Test
    void aSavedAttentionModelRoundTripsThroughItsFlatbuffers(@TempDir Path dir) throws Exception {
        Dataset test = run(dir, RECALL);
        Bundle b = Bundle.read(dir.resolve("out/r.effb"));
        assertEquals("int", b.schema().inputs().get(0).dtype());
        assertEquals(16, b.schema().inputs().get(0).vocab());
        assertSamePredictions(written(dir.resolve("out/preds.json")), b.predict(test.inputs().toArray(INDArray[]::new)));
        var outside = assertThrows(IllegalArgumentException.class, () -> b.predict(Nd4j.createFromArray(new int[][] {new int[(int) test.inputs().get(0).size(1)]}).addi(20)));
        assertTrue(outside.getMessage().contains("outside 0…15"), outside.getMessage());
    }

    @Test
    void aSaveStatementIsCheckedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        TestData.pets(dir);
        Files.writeString(dir.resolve("s.eff"), PETS.replace("out/m.effb", "out/m.zip"));
        Frontend.Result bad = Frontend.check(dir.resolve("s.eff"), Registry.standard(), Map.of());
        assertTrue(bad.diagnostics().render().contains("6:15: error: save: a bundle's name ends in .effb, not \"out/m.zip\""), bad.diagnostics().render());
        assertTrue(bad.diagnostics().render().contains("hint: e.g. to = \"runs/m.effb\""), bad.diagnostics().render());

        Files.writeString(dir.resolve("notes.effb"), "my notes");
        Files.writeString(dir.resolve("s.eff"), PETS.replace("out/m.effb", "notes.effb"));
        Frontend.Result ok = Frontend.check(dir.resolve("s.eff"), Registry.standard(), Map.of());
        assertTrue(ok.ok(), ok.diagnostics().render());
        var problems = OutputCheck.check(ok.program(), dir, null).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().endsWith("notes.effb: it is not an Eff bundle"), problems.get(0).message());
    }

    /** The hooks that trained and measured the model travel with it, as text, and are never run by reading. */
    @Test
    void aBundleKeepsTheSourcesOfTheHooksItsModelUsed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s.eff"), """
                data recall = associativeRecall(vocab = 8, pairs = 2, examples = 64, seed = 1)
                model m { embed(vocab = 8, dim = 8, position = learned); pool(mean); logits(8) }
                hook twice = groovy \"""
                    { logits, labels -> -(labels * logSoftmax(logits)).sum(-1).mean() * 2 }
                \"""
                train m on recall { optimizer = adam(lr = 1e-2); batch = 16; steps = 2; loss = twice + 0.5 * crossEntropy() }
                save m on recall { to = "m.effb" }
                """);
        Frontend.Result checked = Frontend.check(dir.resolve("s.eff"), Registry.standard(), Map.of());
        assertTrue(checked.ok(), checked.diagnostics().render());
        new Runner(Registry.standard(), ModelCompiler.standard()).hooks(dev.eff.interpreter.hooks.HookPolicy.ALLOW)
                .run(checked.program(), new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
        var hooks = Bundle.read(dir.resolve("m.effb")).manifest().hooks();
        assertEquals(1, hooks.size());
        assertEquals("twice", hooks.get(0).name());
        assertEquals("loss", hooks.get(0).kind());
        assertEquals("groovy", hooks.get(0).language());
        assertTrue(hooks.get(0).source().contains("logSoftmax(logits)"), hooks.get(0).source());
    }
}
