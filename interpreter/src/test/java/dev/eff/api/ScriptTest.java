package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The Java API end to end: diagnostics as data, what a script declares, a run with a listener, the trained model. */
class ScriptTest {
    static final Blobs DATA = new Blobs(120, 3);
    static Results results;
    static final List<String> events = new ArrayList<>();

    @BeforeAll
    static void train() throws Exception {
        Script script = Eff.with().constant("width", 16).array("x", DATA.x).array("y", DATA.y).compile("blobs.eff", Blobs.SCRIPT);
        assertTrue(script.ok(), script.render());
        results = script.run(new Listener() {
            @Override public void started(JobInfo job) { events.add("start " + job.kind()); }

            @Override
            public void step(JobInfo job, long step, long total, double loss, Map<String, Double> aux, double seconds) {
                if (step == total) events.add("step " + step + "/" + total);
            }

            @Override public void finished(JobResult r) { events.add("end " + r.job().kind()); }
        });
    }

    @Test
    void aScriptErrorIsDataNotAnException() {
        Script s = Eff.compile("bad.eff", """
                data d = associativeRecall(vocab = 8, pairs = 2, examples = 100, seed = 1)
                model m { embed(vocab = 8, dim = 16, position = learned); pool(mean); logits(8, extra = 1) }
                train m on d { steps = 2 }
                """);
        assertFalse(s.ok());
        Diagnostic d = s.diagnostics().get(0);
        assertTrue(d.error());
        assertEquals("bad.eff", d.file());
        assertEquals(2, d.line());
        assertEquals(81, d.column(), d.rendered());
        assertEquals("extra".length(), d.length());
        assertTrue(d.message().contains("unknown parameter 'extra'"), d.message());
        assertTrue(d.rendered().contains("^^^^^"), d.rendered());
        assertTrue(s.render().endsWith("1 error\n"), s.render());
        var e = assertThrows(IllegalStateException.class, s::run);
        assertTrue(e.getMessage().contains("bad.eff:2:81"), e.getMessage());
    }

    @Test
    void aMissingFileIsADiagnostic(@TempDir Path dir) {
        Script s = Eff.compile(dir.resolve("nope.eff"));
        assertFalse(s.ok());
        assertTrue(s.diagnostics().get(0).message().contains("no such file"), s.render());
    }

    @Test
    void aScriptListsItsModelsDataAndJobs() {
        Script s = Eff.with().constant("width", 16).array("x", DATA.x).array("y", DATA.y).compile("blobs.eff", Blobs.SCRIPT);
        ModelInfo net = s.models().get(0);
        assertEquals("net", net.instance());
        assertEquals(List.of(new Field("x", "float", new long[] {4})), net.inputs());
        assertEquals(new Field("output", "float", new long[] {3}), net.output());
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, net.parameters());
        DataInfo points = s.data().get(0);
        assertEquals("points", points.name());
        assertEquals(3, points.classes());
        assertEquals(new Field("y", "int", new long[0]), points.label());
        assertTrue(points.source().startsWith("arrays("), points.source());
        List<JobInfo> jobs = s.jobs();
        assertEquals(List.of("train", "evaluate"), jobs.stream().map(JobInfo::kind).toList());
        assertEquals("blobs.eff:7:1", jobs.get(1).location());
        assertEquals("16", s.constants().get("width"));
    }

    @Test
    void theListenerSeesEveryStatementAndTheLastStep() {
        assertEquals(List.of("start train", "step 60/60", "end train", "start evaluate", "end evaluate"), events);
        JobResult train = results.jobs().get(0);
        assertEquals(60L, train.steps());
        assertEquals(60, train.losses().length);
        assertTrue(train.finalLoss() < train.losses()[0], "the loss falls: " + train.losses()[0] + " → " + train.finalLoss());
        assertTrue(results.metric("accuracy") > 0.9, "accuracy on separable blobs: " + results.metric("accuracy"));
    }

    /** The model's output is x·W + b through a ReLU layer and the logits layer, computed here in plain loops. */
    @Test
    void predictionsAreThePlainComputationOverTheTrainedWeights() {
        Model net = results.model("net");
        Map<String, INDArray> p = net.parameters();
        INDArray w1 = only(p, "dense/W"), b1 = only(p, "dense/b"), w2 = only(p, "logits/W"), b2 = only(p, "logits/b");
        float[][] out = net.predict(DATA.x);
        for (int i = 0; i < DATA.x.length; i++) {
            double[] h = new double[16];
            for (int k = 0; k < 16; k++) {
                double s = b1.getDouble(k);
                for (int j = 0; j < 4; j++) s += DATA.x[i][j] * w1.getDouble(j, k);
                h[k] = Math.max(0, s);
            }
            for (int c = 0; c < 3; c++) {
                double s = b2.getDouble(c);
                for (int k = 0; k < 16; k++) s += h[k] * w2.getDouble(k, c);
                assertEquals(s, out[i][c], 1e-4, "example " + i + " class " + c);
            }
        }
        int[] classes = net.classify(DATA.x);
        int correct = 0;
        for (int i = 0; i < classes.length; i++) correct += classes[i] == DATA.y[i] ? 1 : 0;
        assertEquals(correct / (double) classes.length, net.evaluate(DATA.x, DATA.y, "accuracy").get("accuracy"), 1e-9);
        assertArrayEquals(out[0], net.predict(DATA.x[0])[0], 1e-5f, "one example, without the batch dimension");
    }

    @Test
    void predictionIsThreadSafe() throws Exception {
        Model net = results.model("net");
        float[][] expected = net.predict(DATA.x);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int row = i % DATA.x.length;
                calls.add(pool.submit(() -> net.predict(DATA.x[row])[0]));
            }
            for (int i = 0; i < calls.size(); i++) assertArrayEquals(expected[i % DATA.x.length], calls.get(i).get(), 1e-6f);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputsAreClearErrors() {
        Model net = results.model("net");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.predict(new float[][] {{1, 2, 3}}))
                .getMessage().contains("input 'x' takes examples of shape [4], got [3]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.predict(new int[][] {{1, 2, 3, 4}}))
                .getMessage().contains("takes floats"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> results.model("other")).getMessage().contains("no model 'other'"));
        assertThrows(IllegalArgumentException.class, () -> Eff.with().constant("w", new Object()));
        assertThrows(IllegalArgumentException.class, () -> Eff.with().array("x", new float[][] {{1, 2}, {3}}));
    }

    @Test
    void anArrayTheScriptNamesButTheHostDidNotPassIsReportedAtItsDataStatement() {
        Script s = Eff.with().constant("width", 16).array("x", DATA.x).compile("blobs.eff", Blobs.SCRIPT);
        assertFalse(s.ok());
        Diagnostic d = s.diagnostics().get(0);
        assertEquals(1, d.line(), d.rendered());
        assertTrue(d.message().contains("no array 'y' was passed in (passed: x)"), d.rendered());
    }

    @Test
    void aRunFailureIsAnEffExceptionAtItsStatement(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("csv.eff");
        Files.writeString(script, """
                data t = csv(path = "missing.csv", features = ["a"], classes = 2)
                model m { logits(2) }
                train m on t { steps = 1 }
                """);
        Script s = Eff.compile(script);
        assertTrue(s.ok(), s.render());
        EffException e = assertThrows(EffException.class, s::run);
        assertEquals(1, e.line());
        assertTrue(e.rendered().contains("missing.csv"), e.rendered());
        assertNotNull(e.hint());
    }

    private static INDArray only(Map<String, INDArray> p, String suffix) {
        List<String> names = p.keySet().stream().filter(k -> k.endsWith(suffix)).toList();
        assertEquals(1, names.size(), suffix + " among " + p.keySet());
        return p.get(names.get(0));
    }
}
