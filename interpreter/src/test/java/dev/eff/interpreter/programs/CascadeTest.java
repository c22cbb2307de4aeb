package dev.eff.interpreter.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cascade's decisions and costs against plain computations, the post-hoc rule's training, and the checker's errors. */
class CascadeTest {

    static final String SCRIPT = """
            data pets = csv(path = "pets.csv", features = ["a", "b"], label = "kind", classes = 2, testFraction = 0.3)
            model tiny { dense(2, activation = relu); logits(2) }
            model big { dense(32, activation = relu); dense(32, activation = relu); logits(2) }
            model other { logits(2) }
            train tiny on pets { steps = 15, batch = 16, seed = 2, optimizer = adam(lr = 0.03) }
            train big on pets { steps = 80, batch = 16, seed = 3, optimizer = adam(lr = 0.03) }
            %s
            """;

    static Frontend.Result check(Path dir, String statements) throws Exception {
        return Frontend.check(PredictTest.write(dir, SCRIPT.formatted(statements)), Registry.standard(), Map.of());
    }

    static RunReport run(Path dir, String statements) throws Exception {
        Frontend.Result checked = check(dir, statements);
        assertTrue(checked.ok(), checked.diagnostics().render());
        return new Runner(Registry.standard(), ModelCompiler.standard())
                .run(checked.program(), new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
    }

    /** The cascade jobs' reports, in order. */
    static List<JobReport> cascades(RunReport r) {
        return r.jobs().stream().filter(j -> j.kind().equals("cascade")).toList();
    }

    @Test
    void confidenceDecisionsAndTheCurveFollowTheRuleOnFixedProbabilities() {
        double[][] small = {{0.9, 0.1}, {0.55, 0.45}, {0.3, 0.7}, {0.2, 0.8}, {0.62, 0.38}};
        double[][] large = {{0.2, 0.8}, {0.1, 0.9}, {0.4, 0.6}, {0.7, 0.3}, {0.9, 0.1}};
        int[] labels = {0, 1, 1, 0, 0};
        DeferralRule.Fitted rule = new ConfidenceDeferral().fit(new Args(Map.of("threshold", new Value.Float(0.65))), null, null, null);
        double[] scores = rule.scores(small);
        boolean[] smallRight = Cascade.right(small, labels), largeRight = Cascade.right(large, labels);
        // By hand: confidences 0.9, 0.55, 0.7, 0.8, 0.62; below 0.65 are examples 1 and 4.
        boolean[] expected = {false, true, false, false, true};
        for (int n = 0; n < small.length; n++) {
            assertEquals(Math.max(small[n][0], small[n][1]), scores[n], 0);
            assertEquals(expected[n], rule.defers(scores[n], rule.threshold()), "example " + n);
        }
        CascadeCurve.Costs costs = new CascadeCurve.Costs(10, 0, 100);
        CascadeCurve.Point p = CascadeCurve.at(rule, 0.65, scores, smallRight, largeRight, costs, new CascadeCurve.Times(1, 0, 4));
        // Example 0: small right; 1: deferred, large right; 2: small right; 3: small wrong; 4: deferred, large right.
        assertEquals(0.4, p.deferred(), 1e-12);
        assertEquals(0.8, p.accuracy(), 1e-12);
        assertEquals(10 + 0.4 * 100, p.flops(), 1e-9);
        assertEquals(0.5, p.flopsVsLarge(), 1e-12);
        assertEquals(1 + 0.4 * 4, p.seconds(), 1e-12);

        // Every point of the sweep is the plain computation at its threshold, from deferring nothing to everything.
        CascadeCurve curve = CascadeCurve.sweep(rule, scores, smallRight, largeRight, costs, new CascadeCurve.Times(1, 0, 4));
        for (CascadeCurve.Point q : curve.points()) {
            int deferred = 0, right = 0;
            for (int n = 0; n < small.length; n++) {
                boolean d = Math.max(small[n][0], small[n][1]) < q.threshold();
                deferred += d ? 1 : 0;
                right += (d ? largeRight[n] : smallRight[n]) ? 1 : 0;
            }
            assertEquals(deferred / 5.0, q.deferred(), 1e-12);
            assertEquals(right / 5.0, q.accuracy(), 1e-12);
        }
        assertTrue(curve.points().stream().anyMatch(q -> q.deferred() == 0));
        assertTrue(curve.points().stream().anyMatch(q -> q.deferred() == 1));
        // Cheapest reaching the large model's accuracy (0.8: example 0 wrong): defer only example 1 (confidence 0.55).
        assertEquals(0.2, curve.cheapestReaching(0.8).deferred(), 1e-12);
        assertEquals(0.1 + 0.2, curve.cheapestReaching(0.8).flopsVsLarge(), 1e-12);
    }

    @Test
    void theCascadeRunMatchesTheRuleAppliedToBothModelsPredictions(@TempDir Path dir) throws Exception {
        RunReport r = run(dir, """
                predict tiny on pets.test { to = "tiny.csv" }
                predict big on pets.test { to = "big.csv" }
                cascade tiny on pets.test { large = big; defer = confidence(threshold = 0.8) }
                cascade tiny on pets.test { large = big; defer = confidence(threshold = 0) }
                cascade tiny on pets.test { large = big; defer = confidence(threshold = 1) }
                """);
        List<double[]> tiny = probabilities(dir.resolve("tiny.csv")), big = probabilities(dir.resolve("big.csv"));
        List<Integer> labels = labels(dir.resolve("tiny.csv"));
        int deferred = 0, right = 0, tinyRight = 0, bigRight = 0;
        for (int n = 0; n < tiny.size(); n++) {
            boolean d = Math.max(tiny.get(n)[0], tiny.get(n)[1]) < 0.8;
            int t = tiny.get(n)[1] > tiny.get(n)[0] ? 1 : 0, b = big.get(n)[1] > big.get(n)[0] ? 1 : 0;
            deferred += d ? 1 : 0;
            right += (d ? b : t) == labels.get(n) ? 1 : 0;
            tinyRight += t == labels.get(n) ? 1 : 0;
            bigRight += b == labels.get(n) ? 1 : 0;
        }
        int n = tiny.size();
        assertTrue(deferred > 0 && deferred < n, "the test should defer some examples, not all: " + deferred + " of " + n);
        Map<String, Double> at08 = cascades(r).get(0).metrics(), none = cascades(r).get(1).metrics(), all = cascades(r).get(2).metrics();
        assertEquals(deferred / (double) n, at08.get("deferred"), 1e-12);
        assertEquals(right / (double) n, at08.get("accuracy"), 1e-12);
        assertEquals(tinyRight / (double) n, at08.get("small accuracy"), 1e-12);
        assertEquals(bigRight / (double) n, at08.get("large accuracy"), 1e-12);
        assertEquals(0, none.get("deferred"));
        assertEquals(tinyRight / (double) n, none.get("accuracy"), 1e-12);
        assertEquals(1, all.get("deferred"));
        assertEquals(bigRight / (double) n, all.get("accuracy"), 1e-12);

        // FLOPs: the small model on every example, the large one on the deferred ones, as eff summary counts them.
        Frontend.Result checked = check(dir, "");
        long t = flops(checked, "tiny"), b = flops(checked, "big");
        assertEquals((t + deferred / (double) n * b) / b, at08.get("flops vs large"), 1e-9);
        assertEquals(t / (double) b, none.get("flops vs large"), 1e-12);
        assertEquals((t + b) / (double) b, all.get("flops vs large"), 1e-12);
        Cascade.Result details = (Cascade.Result) cascades(r).get(0).details();
        assertEquals(new CascadeCurve.Costs(t, 0, b), details.flops());
        assertTrue(details.measuredSeconds() > 0);
    }

    @Test
    void posthocCountsItsDeferralModelAndLearnsOnTheHeldOutSplit(@TempDir Path dir) throws Exception {
        RunReport r = run(dir, "cascade tiny on pets.test { large = big; defer = posthoc(split = \"train\", hidden = 16, steps = 50) }");
        Cascade.Result details = (Cascade.Result) cascades(r).get(0).details();
        // g reads 2 sorted probabilities + entropy + margin: dense(16, relu) is 2·4·16 + 2·16, dense(1) is 2·16 + 1.
        assertEquals(2 * 4 * 16 + 2 * 16 + 2 * 16 + 1, details.flops().rule());
        Frontend.Result checked = check(dir, "");
        long t = flops(checked, "tiny"), b = flops(checked, "big");
        double deferred = cascades(r).get(0).metrics().get("deferred");
        assertEquals((t + details.flops().rule() + deferred * b) / b, cascades(r).get(0).metrics().get("flops vs large"), 1e-9);
        assertTrue(details.rule().contains("trained on pets.train, 50 steps"), details.rule());
        assertTrue(details.confidenceCurve() != null, "a post-hoc rule is plotted beside the confidence rule");
    }

    @Test
    void theRulesFeaturesAndTargetsAreThePlainComputation() {
        double[] p = {0.1, 0.6, 0.3};
        double[] f = PosthocDeferral.features(p);
        double entropy = -(0.1 * Math.log(0.1) + 0.6 * Math.log(0.6) + 0.3 * Math.log(0.3));
        assertEquals(5, f.length);
        assertEquals(0.6, f[0], 0);
        assertEquals(0.3, f[1], 0);
        assertEquals(0.1, f[2], 0);
        assertEquals(entropy, f[3], 1e-12);
        assertEquals(0.3, f[4], 1e-12);
        double[] small = {0.7, 0.3}, large = {0.2, 0.8};
        assertEquals(1, PosthocDeferral.target(small, large, 1, false));  // large right, small wrong
        assertEquals(-1, PosthocDeferral.target(small, large, 0, false)); // small right, large wrong
        assertEquals(0, PosthocDeferral.target(small, small, 0, false));
        assertEquals(0.8 - 0.3, PosthocDeferral.target(small, large, 1, true), 1e-12);
    }

    /**
     * Held-out outputs where the small model is wrong exactly when its confidence is below 0.7 and the large one always
     * right, so Diff-01's label is 1 there and 0 elsewhere: the trained g must separate the two.
     */
    @Test
    void thePosthocModelLearnsTheDiff01Labels(@TempDir Path dir) throws Exception {
        Frontend.Result checked = check(dir, "cascade tiny on pets.test { large = big; defer = posthoc(split = \"train\") }");
        assertTrue(checked.ok(), checked.diagnostics().render());
        ProgramJob job = (ProgramJob) checked.program().jobs().get(2);
        Random random = new Random(5);
        int n = 400;
        double[][] small = new double[n][], large = new double[n][];
        int[] labels = new int[n];
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            double c = 0.5 + 0.5 * random.nextDouble();
            small[i] = new double[] {c, 1 - c};
            labels[i] = c >= 0.7 ? 0 : 1;
            large[i] = labels[i] == 0 ? new double[] {0.9, 0.1} : new double[] {0.1, 0.9};
            target[i] = PosthocDeferral.target(small[i], large[i], labels[i], false);
        }
        Cascade.Outputs held = new Cascade.Outputs(small, large, labels, 0, 0);
        Map<String, Value> args = new LinkedHashMap<>(job.settings().call("defer").args());
        args.put("steps", new Value.Int(400));
        DeferralRule.Fitted g = new PosthocDeferral().fit(new Args(args), job, compilerOnly(), split -> {
            assertEquals("train", split);
            return held;
        });
        double[] scores = g.scores(small);
        int agree = 0;
        for (int i = 0; i < n; i++) agree += g.defers(scores[i], 0.5) == (target[i] == 1) ? 1 : 0;
        assertTrue(agree >= 0.95 * n, "g(x) > 0.5 should match the Diff-01 label: " + agree + " of " + n);
        assertFalse(g.defers(g.scores(new double[][] {{0.99, 0.01}})[0], 0.5));
        assertTrue(g.defers(g.scores(new double[][] {{0.55, 0.45}})[0], 0.5));
    }

    @Test
    void checkerErrorsAtTheirLineAndColumnWithDidYouMean(@TempDir Path dir) throws Exception {
        error(dir, "cascade tiny on pets.test { large = bgi }", "bgi", "unknown model 'bgi' (did you mean 'big'?)");
        error(dir, "cascade tiny on pets.test { large = other }", "other", "model other is not trained before this cascade");
        error(dir, "cascade tiny on pets.test { large = big; defer = confidence(threshold = 1.5) }", "1.5",
                "'threshold' must be in [0, 1], got 1.5");
        error(dir, "cascade tiny on pets.test { large = big; defer = confidance(threshold = 0.9) }", "confidance",
                "unknown deferral rule 'confidance' (did you mean 'confidence'?)");
        error(dir, "cascade tiny on pets.test { large = big; defer = posthoc(split = \"tset\") }", "posthoc",
                "cascade: data 'pets' has no split 'tset' (did you mean 'test'?)");
        error(dir, "cascade tiny on pets.test { large = big; defer = posthoc(split = \"test\") }", "posthoc",
                "cascade: posthoc would learn on pets.test, the split the cascade is measured on");
        error(dir, "cascade tiny on pets.test { large = big; tune = \"heldout\" }", "\"heldout\"",
                "cascade: data 'pets' has no split 'heldout'");
        error(dir, "cascade tiny on pets.test { large = tiny }", "tiny }", "cascade: the large model is the small one");
        error(dir, "cascade tiny on pets.test { defer = confidence() }", "cascade", "missing required parameter 'large' of 'cascade'");
        error(dir, "cascade tiny on pets.test { large = 3 }", "3", "expected a model for 'large', got '3'");
    }

    /** {@code statement} as the script's last line fails with {@code message} at the first {@code at} in that line. */
    private static void error(Path dir, String statement, String at, String message) throws Exception {
        Frontend.Result r = check(dir, statement);
        assertFalse(r.ok(), statement);
        String text = SCRIPT.formatted(statement);
        int line = (int) text.lines().takeWhile(l -> !l.equals(statement)).count() + 1;
        String where = dir.resolve("s.eff") + ":" + line + ":" + (statement.indexOf(at) + 1) + ": error: " + message;
        assertTrue(r.diagnostics().render().contains(where), "expected\n" + where + "\ngot\n" + r.diagnostics().render());
    }

    private static long flops(Frontend.Result checked, String model) {
        return checked.program().models().entrySet().stream().filter(e -> e.getKey().equals(model)).map(Map.Entry::getValue)
                .map(ModelGraph::cost).findFirst().orElseThrow().flops();
    }

    private static List<double[]> probabilities(Path csv) throws Exception {
        List<double[]> out = new ArrayList<>();
        for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = row.split(",");
            out.add(new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])});
        }
        return out;
    }

    private static List<Integer> labels(Path csv) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) out.add(row.split(",")[1].equals("dog") ? 1 : 0);
        return out;
    }

    /** A session that only compiles (what a post-hoc rule's training needs). */
    private static Session compilerOnly() {
        return new Session() {
            @Override public Dataset data(ProgramJob job) { throw new UnsupportedOperationException(); }
            @Override public Dataset data(ProgramJob job, String split) { throw new UnsupportedOperationException(); }
            @Override public CompiledModel inference(ProgramJob job) { throw new UnsupportedOperationException(); }
            @Override public CompiledModel inference(ProgramJob job, String setting) { throw new UnsupportedOperationException(); }
            @Override public Parameters variables(ProgramJob job) { throw new UnsupportedOperationException(); }
            @Override public long seed(ProgramJob job) { return 0; }
            @Override public ModelCompiler compiler() { return ModelCompiler.standard(); }
            @Override public Path baseDir() { return Path.of("."); }
            @Override public boolean stopRequested() { return false; }
            @Override public void note(String message) {}
            @Override public OutputStream stream() { return OutputStream.nullOutputStream(); }
        };
    }
}
