package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Spelling;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.run.JobPlot;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code cascade SMALL on DATA.split { large = LARGE; defer = RULE }}: a two-model cascade (Narasimhan et al. 2022;
 * Jitkrittum et al. 2023). Every example goes through the small model h₁; the rule decides from h₁'s output whether to
 * defer it to the large model h₂, whose answer then replaces h₁'s. An example costs {@code cost(h₁) + cost(rule)},
 * plus {@code cost(h₂)} when deferred. Reports the cascade at the rule's threshold (or at the one {@code tune} picks on
 * held-out data), measured, and its accuracy/cost curve over all thresholds.
 */
@AutoService(Component.class)
public final class Cascade implements Program {

    private static final Signature SIGNATURE = new Signature(Kind.PROGRAM, "cascade", null,
            "Runs the statement's (small) model on every example and defers, by a rule on its output, some examples to a "
                    + "larger model; reports accuracy, FLOPs and time against the large model alone, and the accuracy/cost curve "
                    + "over thresholds.",
            List.of(Param.required("large", new Type.Model(), "the larger model, trained by an earlier statement on the same data"),
                    Param.of("defer", new Type.Component(Kind.DEFERRAL), new Value.Call("confidence", Map.of(), null),
                            "when to defer: confidence(threshold = τ) or posthoc(split = \"heldout\", ...)"),
                    Param.of("tune", new Type.Str(), new Value.Str(""),
                            "a held-out split on which to choose the threshold: the cheapest whose accuracy there is within "
                                    + "`within` of the large model's (replacing the rule's); empty: the rule's threshold"),
                    Param.of("within", Type.unit(), 0.005, "accuracy the tuned cascade may give up against the large model (0.005: half a point)"),
                    Param.of("batch", Type.positive(), 256, "examples per forward pass"),
                    Param.of("repeats", new Type.Int(1, 100), 1,
                            "timed passes of each model, alternating; the median is reported (more on a busy machine)")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public DataUse data() { return DataUse.REQUIRED; }

    @Override
    public void check(Args settings, ModelGraph small, Map<String, ModelGraph> models, DataBinding data, String split) throws Problem {
        ModelGraph large = models.get("large");
        if (data.schema().classes() <= 0) {
            throw new Problem(null, "a cascade compares class predictions, but data '" + data.name() + "' has no classes",
                    "cascade classifiers: models with outputs [B, classes]");
        }
        for (ModelGraph m : List.of(small, large)) {
            Shape out = m.outputShape();
            if (out.rank() != 2 || !(out.dim(-1) instanceof Dim.Fixed f) || f.size() != data.schema().classes()) {
                throw new Problem(m == small ? null : "large", "model " + m.instance() + " outputs " + out.describe()
                        + ", not one score per class of data '" + data.name() + "' [B, " + data.schema().classes() + "]",
                        "a cascade takes two classifiers of the same classes");
            }
        }
        if (small.instance().equals(large.instance())) {
            throw new Problem("large", "the large model is the small one (" + small.instance() + ")", "name another trained model");
        }
        DeferralRule rule = (DeferralRule) settings.call("defer").spec();
        rule.check(settings.call("defer").asArgs(), data, split);
        String tune = settings.str("tune");
        if (!tune.isEmpty() && !data.schema().splits().contains(tune)) {
            throw new Problem("tune", "data '" + data.name() + "' has no split '" + tune + "'" + Spelling.didYouMean(tune, data.schema().splits()),
                    "its splits: " + Spelling.list(data.schema().splits()));
        }
    }

    @Override
    public List<String> otherSplits(Args settings) {
        List<String> out = new ArrayList<>(((DeferralRule) settings.call("defer").spec()).splits(settings.call("defer").asArgs()));
        if (!settings.str("tune").isEmpty()) out.add(settings.str("tune"));
        return out;
    }

    /** Both models' class probabilities on one split, its labels, and the seconds each model's pass over it took. */
    public record Outputs(double[][] small, double[][] large, int[] labels, double smallSeconds, double largeSeconds) {

        /** The outputs on a split of the cascade's data, computed once per split. */
        public interface Source {
            Outputs of(String split) throws DataException;
        }

        boolean[] smallRight() { return right(small, labels); }

        boolean[] largeRight() { return right(large, labels); }
    }

    /** What the report holds beyond the metrics: the curve (and the confidence curve beside a post-hoc rule) and the chosen point. */
    public record Result(String rule, CascadeCurve.Costs flops, double smallAccuracy, double largeAccuracy, double largeSeconds,
                         String tunedOn, CascadeCurve.Point operatingPoint, double measuredSeconds, CascadeCurve curve,
                         CascadeCurve confidenceCurve) implements JobPlot {
        @Override public String plotName() { return "cascade"; }

        @Override public void plot(String title, Path file) throws IOException { CascadePlot.write(title, this, file); }
    }

    @Override
    public JobReport run(ProgramJob job, Session session) throws DataException, RunFailure, IOException {
        Args s = job.settings();
        int batch = s.i("batch");
        CompiledModel small = session.inference(job), large = session.inference(job, "large");
        Map<String, Outputs> computed = new HashMap<>();
        Outputs.Source outputs = split -> {
            Outputs o = computed.get(split);
            if (o == null) computed.put(split, o = outputs(small, large, session.data(job, split), batch));
            return o;
        };
        Outputs test = outputs.of(job.split());
        Value.Call defer = s.call("defer");
        DeferralRule.Fitted rule = ((DeferralRule) defer.spec()).fit(defer.asArgs(), job, session, outputs);
        long start = System.nanoTime();
        double[] scores = rule.scores(test.small());
        double ruleSeconds = (System.nanoTime() - start) / 1e9;
        CascadeCurve.Costs costs = new CascadeCurve.Costs(job.model().cost().flops(), rule.flops(), job.models().get("large").cost().flops());
        boolean[] smallRight = test.smallRight(), largeRight = test.largeRight();
        double largeAccuracy = mean(largeRight), smallAccuracy = mean(smallRight), within = s.real("within");

        double threshold = rule.threshold();
        String tune = s.str("tune");
        if (!tune.isEmpty()) {
            Outputs t = outputs.of(tune);
            CascadeCurve tuning = CascadeCurve.sweep(rule, rule.scores(t.small()), t.smallRight(), t.largeRight(), costs,
                    new CascadeCurve.Times(t.smallSeconds(), ruleSeconds, t.largeSeconds()));
            threshold = tuning.cheapestReaching(mean(t.largeRight()) - within).threshold();
        }

        // The cascade as it runs: the large model only on the examples the rule defers.
        Dataset data = session.data(job);
        List<Integer> deferredList = new ArrayList<>();
        for (int n = 0; n < scores.length; n++) if (rule.defers(scores[n], threshold)) deferredList.add(n);
        int[] deferred = deferredList.stream().mapToInt(Integer::intValue).toArray();
        Dataset toLarge = data.select(deferred);
        double[][] largeOnDeferred = new double[0][];
        double[] smallSeconds = new double[s.i("repeats")], largeSeconds = smallSeconds.clone(), deferredSeconds = smallSeconds.clone();
        for (int r = 0; r < smallSeconds.length; r++) {
            // The first pass of each whole-split model is the one outputs() timed; later ones alternate, so load shifts hit all.
            smallSeconds[r] = r == 0 ? test.smallSeconds() : timed(() -> probabilities(small, data, batch));
            largeSeconds[r] = r == 0 ? test.largeSeconds() : timed(() -> probabilities(large, data, batch));
            start = System.nanoTime();
            if (deferred.length > 0) largeOnDeferred = probabilities(large, toLarge, batch);
            deferredSeconds[r] = (System.nanoTime() - start) / 1e9;
        }
        CascadeCurve.Times times = new CascadeCurve.Times(median(smallSeconds), ruleSeconds, median(largeSeconds));
        int[] predicted = argmaxes(test.small());
        for (int i = 0; i < deferred.length; i++) predicted[deferred[i]] = Sampler.argmax(largeOnDeferred[i]);
        int right = 0;
        for (int n = 0; n < predicted.length; n++) if (predicted[n] == test.labels()[n]) right++;
        double accuracy = right / (double) predicted.length, rate = deferred.length / (double) predicted.length;
        double seconds = times.small() + ruleSeconds + median(deferredSeconds);
        CascadeCurve.Point point = new CascadeCurve.Point(threshold, rate, accuracy, costs.at(rate), costs.at(rate) / costs.large(), seconds);

        CascadeCurve curve = CascadeCurve.sweep(rule, scores, smallRight, largeRight, costs, times);
        CascadeCurve confidence = null;
        if (!(defer.spec() instanceof ConfidenceDeferral)) {
            DeferralRule.Fitted maxProb = new ConfidenceDeferral().fit(new Args(Map.of("threshold", new Value.Float(0.9))), job, session, outputs);
            double[] c = maxProb.scores(test.small());
            confidence = CascadeCurve.sweep(maxProb, c, smallRight, largeRight, new CascadeCurve.Costs(costs.small(), 0, costs.large()),
                    new CascadeCurve.Times(times.small(), 0, times.large()));
        }
        CascadeCurve.Point match = curve.cheapestReaching(largeAccuracy - within);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", accuracy);
        metrics.put("deferred", rate);
        metrics.put("threshold", threshold);
        metrics.put("flops vs large", point.flopsVsLarge());
        metrics.put("time vs large", seconds / times.large());
        metrics.put("small accuracy", smallAccuracy);
        metrics.put("large accuracy", largeAccuracy);
        metrics.put("match: flops vs large", match.flopsVsLarge());
        Result result = new Result(rule.describe(), costs, smallAccuracy, largeAccuracy, times.large(), tune.isEmpty() ? null : tune,
                point, seconds, curve, confidence);
        say(session, job, result, match, within);
        return new JobReport("cascade", job.span().location(), job.model().instance() + " → " + job.models().get("large").instance(),
                job.model().cost().params() + job.models().get("large").cost().params(), job.data().name(), job.split(), null, null, null,
                batch, null, null, null, null, metrics, predicted.length, 0, seconds, seconds > 0 ? predicted.length / seconds : null,
                null, null, null).withDetails(result);
    }

    /** The operating point, the match point and a coarse curve, for the terminal. */
    private static void say(Session session, ProgramJob job, Result r, CascadeCurve.Point match, double within) {
        CascadeCurve.Point p = r.operatingPoint();
        session.note("  large " + job.models().get("large").instance() + ", defer " + r.rule());
        session.note(String.format(Locale.ROOT, "  small alone: accuracy %.4f, %s FLOPs/example; large alone: accuracy %.4f, %s FLOPs/example, %.2f s",
                r.smallAccuracy(), flops(r.flops().small()), r.largeAccuracy(), flops(r.flops().large()), r.largeSeconds()));
        session.note(String.format(Locale.ROOT, "  at threshold %.4g%s: %.1f%% deferred, accuracy %.4f, %.2f× the large model's FLOPs, %.2f× its time (%.2f s)",
                p.threshold(), r.tunedOn() == null ? "" : " (tuned on " + job.data().name() + "." + r.tunedOn() + ")",
                100 * p.deferred(), p.accuracy(), p.flopsVsLarge(), p.seconds() / r.largeSeconds(), p.seconds()));
        session.note(String.format(Locale.ROOT, "  cheapest within %.1f points of the large model on this split: %.1f%% deferred, accuracy %.4f, %.2f× its FLOPs",
                100 * within, 100 * match.deferred(), match.accuracy(), match.flopsVsLarge()));
        StringBuilder sb = new StringBuilder("  deferred → accuracy:");
        for (double target = 0; target <= 1.0001; target += 0.1) {
            CascadeCurve.Point q = nearest(r.curve(), target);
            sb.append(String.format(Locale.ROOT, "  %.0f%% %.4f", 100 * q.deferred(), q.accuracy()));
        }
        session.note(sb.toString());
    }

    private static CascadeCurve.Point nearest(CascadeCurve c, double deferred) {
        CascadeCurve.Point best = c.points().get(0);
        for (CascadeCurve.Point p : c.points()) if (Math.abs(p.deferred() - deferred) < Math.abs(best.deferred() - deferred)) best = p;
        return best;
    }

    private static String flops(long f) {
        return f >= 1e9 ? String.format(Locale.ROOT, "%.2fG", f / 1e9) : f >= 1e6 ? String.format(Locale.ROOT, "%.2fM", f / 1e6)
                : f >= 1e3 ? String.format(Locale.ROOT, "%.1fk", f / 1e3) : Long.toString(f);
    }

    static Outputs outputs(CompiledModel small, CompiledModel large, Dataset data, int batch) {
        int[] labels = labels(data);
        // One untimed batch through each model first, so neither pays the graphs' first-run set-up in its time.
        Dataset first = data.slice(0, Math.min(data.size(), batch));
        probabilities(small, first, batch);
        probabilities(large, first, batch);
        long start = System.nanoTime();
        double[][] p1 = probabilities(small, data, batch);
        double t1 = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        double[][] p2 = probabilities(large, data, batch);
        double t2 = (System.nanoTime() - start) / 1e9;
        return new Outputs(p1, p2, labels, t1, t2);
    }

    /** Softmax of the model's output for every example, batch by batch. */
    static double[][] probabilities(CompiledModel model, Dataset data, int batch) {
        double[][] out = new double[data.size()][];
        for (int from = 0; from < data.size(); from += batch) {
            Dataset b = data.slice(from, Math.min(data.size(), from + batch));
            INDArray o = model.predict(b.inputs());
            for (int i = 0; i < b.size(); i++) out[from + i] = Predict.softmax(o.getRow(i).toDoubleVector());
        }
        return out;
    }

    static int[] labels(Dataset data) {
        INDArray l = data.labels().reshape(-1);
        int[] out = new int[data.size()];
        for (int n = 0; n < out.length; n++) out[n] = l.getInt(n);
        return out;
    }

    static int[] argmaxes(double[][] p) {
        int[] out = new int[p.length];
        for (int n = 0; n < p.length; n++) out[n] = Sampler.argmax(p[n]);
        return out;
    }

    static boolean[] right(double[][] p, int[] labels) {
        boolean[] out = new boolean[p.length];
        for (int n = 0; n < p.length; n++) out[n] = Sampler.argmax(p[n]) == labels[n];
        return out;
    }

    private static double timed(Runnable pass) {
        long start = System.nanoTime();
        pass.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static double mean(boolean[] b) {
        int k = 0;
        for (boolean x : b) if (x) k++;
        return k / (double) b.length;
    }
}
