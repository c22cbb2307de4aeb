package dev.eff.interpreter.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.TestBlobs;
import dev.eff.stdlib.DataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {

    static final DataBinding BLOBS = new DataBinding("blobs", Fixtures.SPAN, new TestBlobs(), new Args(Map.of()), Fixtures.SCHEMA);

    static CheckedProgram program(String evalSplit, boolean evaluateFirst) {
        ModelGraph mlp = Fixtures.mlp(8);
        Value.Call adam = Fixtures.call("adam", Fixtures.args(new dev.eff.stdlib.optim.Adam().signature(),
                Map.of("lr", new Value.Float(0.05))).values());
        Value.Call ce = Fixtures.call("crossEntropy", Map.of("labelSmoothing", new Value.Float(0)));
        var train = new TrainJob(Fixtures.SPAN, mlp, BLOBS, "train", adam, 16, 60, 0, ce, 1, null);
        var eval = new EvalJob(Fixtures.SPAN, mlp, BLOBS, evalSplit, List.of(Fixtures.call("accuracy", Map.of())), 7);
        List<Job> jobs = evaluateFirst ? List.of(eval, train, eval) : List.of(train, eval);
        return new CheckedProgram(Map.of("d", new Value.Int(8)), Map.of("blobs", BLOBS), Map.of(mlp.instance(), mlp), jobs);
    }

    static Runner runner() { return new Runner(Fixtures.REGISTRY, Fixtures.COMPILER); }

    static Runner.Options options(Path dir, long steps) {
        return new Runner.Options(dir.resolve("s.eff"), dir, Map.of("d", "8"), steps, 0, 0);
    }

    @Test
    void evaluationUsesTheTrainedWeightsOfTheSameInstance(@TempDir Path dir) throws Exception {
        RunReport r = runner().run(program("test", true), options(dir, 0), RunEvents.NONE);
        assertEquals(List.of("evaluate", "train", "evaluate"), r.jobs().stream().map(JobReport::kind).toList());
        double before = r.jobs().get(0).metrics().get("accuracy"), after = r.jobs().get(2).metrics().get("accuracy");
        assertTrue(after > 0.9 && after > before, "accuracy " + before + " -> " + after);
        assertEquals(60, r.jobs().get(1).losses().length);
        assertEquals(30, r.jobs().get(2).examples());
    }

    @Test
    void aSecondTrainingWithAnotherLossGraphContinuesFromTheTrainedWeights(@TempDir Path dir) throws Exception {
        CheckedProgram p = program("test", false);
        TrainJob first = (TrainJob) p.jobs().get(0);
        TrainJob second = new TrainJob(first.span(), first.model(), first.data(), "train", first.optimizer(), 16, 1, 0,
                new Value.Formula("*", new Value.Int(1), first.loss()), 1, null);
        var twice = new CheckedProgram(p.constants(), p.data(), p.models(), List.of(first, second));
        RunReport r = runner().run(twice, options(dir, 0), RunEvents.NONE);
        double start = r.jobs().get(0).losses()[0], resumed = r.jobs().get(1).losses()[0];
        assertTrue(resumed < 0.25 * start, "second run starts at " + resumed + ", the first started at " + start);
    }

    @Test
    void stepsOverrideReplacesTheScriptsSteps(@TempDir Path dir) throws Exception {
        RunReport r = runner().run(program("test", false), options(dir, 3), RunEvents.NONE);
        assertEquals(3, r.jobs().get(0).steps());
    }

    @Test
    void reportIsJsonWithConfigurationLossesAndMetrics(@TempDir Path dir) throws Exception {
        RunReport r = runner().run(program("test", false), options(dir, 5), RunEvents.NONE);
        Path out = dir.resolve("report.json");
        Reports.write(r, out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals("8", json.get("overrides").get("d").asText());
        JsonNode train = json.get("jobs").get(0);
        assertEquals(5, train.get("losses").size());
        assertTrue(train.get("optimizer").asText().startsWith("adam(lr = 0.05"), train.get("optimizer").asText());
        assertTrue(json.get("jobs").get(1).get("metrics").has("accuracy"));
        String table = ResultsTable.render(r);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("mlp") && l.contains("accuracy")), table);
    }

    @Test
    void missingDataIsADataException(@TempDir Path dir) {
        var e = assertThrows(DataException.class, () -> runner().run(program("missing", false), options(dir, 2),
                RunEvents.NONE));
        assertTrue(e.getMessage().contains(dir.resolve("blobs.csv").toString()), e.getMessage());
    }

    @Test
    void reportHoldsAuxLossesPerStepAndProbesPerLayer(@TempDir Path dir) throws Exception {
        ModelGraph m = Fixtures.auxMlp(false);
        Value.Call sgd = Fixtures.call("sgd", Fixtures.args(new dev.eff.stdlib.optim.Sgd().signature(), Map.of("lr", new Value.Float(0.05))).values());
        Value loss = new Value.Formula("+", Fixtures.crossEntropy(), new Value.Formula("*", new Value.Float(0.01), new Value.Aux("l2", Fixtures.SPAN)));
        var train = new TrainJob(Fixtures.SPAN, m, BLOBS, "train", sgd, 16, 4, 0, loss, 1, null);
        var eval = new EvalJob(Fixtures.SPAN, m, BLOBS, "test", List.of(Fixtures.call("accuracy", Map.of())), 7);
        var p = new CheckedProgram(Map.of(), Map.of("blobs", BLOBS), Map.of(m.instance(), m), List.of(train, eval));
        RunReport r = runner().run(p, options(dir, 0), RunEvents.NONE);
        Path out = dir.resolve("report.json");
        Reports.write(r, out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        JsonNode t = json.get("jobs").get(0), e = json.get("jobs").get(1);
        assertEquals(4, t.get("auxiliaries").get("l2").size());
        assertEquals("first", t.get("probes").get(0).get("layer").asText());
        assertEquals("activation", t.get("probes").get(0).get("name").asText());
        assertEquals(6, t.get("probes").get(0).get("mean").size());
        assertEquals(4, t.get("probes").get(0).get("samples").size());
        assertEquals(4, e.get("probes").size());
        assertTrue(!e.has("auxiliaries") && !e.get("probes").get(0).has("samples"));
    }
}
