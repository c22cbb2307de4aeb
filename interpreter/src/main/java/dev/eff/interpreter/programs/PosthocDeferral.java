package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.ProgramSpec;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.TrainPlan;
import dev.eff.interpreter.train.TrainResult;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Post-hoc deferral (Narasimhan et al. 2022; Jitkrittum et al. 2023): with both models frozen, a small model g learns,
 * on held-out labelled data, how much more likely the large model is to be right, from features of the small model's
 * probabilities alone (its top-k sorted probabilities, entropy and margin). Targets: Diff-01
 * {@code 1[y = h₂(x)] − 1[y = h₁(x)]}, or Diff-Prob {@code p₂(y | x) − p₁(y | x)}; squared loss. Defer iff
 * {@code g(x) > c}, the Bayes rule for a deferral cost c. g is an Eff model ({@code dense(hidden, relu); dense(1)}),
 * trained by Eff's trainer, and costed like every model.
 */
@AutoService(Component.class)
public final class PosthocDeferral implements DeferralRule {

    /** Sorted probabilities among the features (fewer when there are fewer classes). */
    static final int TOP = 10;

    private static final Signature SIGNATURE = new Signature(Kind.DEFERRAL, "posthoc", null,
            "Defers where a small model g, trained after the fact on held-out data from the small model's probabilities "
                    + "(top-10 sorted, entropy, margin), predicts the large model to be more often right by more than the threshold.",
            List.of(Param.required("split", new Type.Str(), "the held-out split g learns from: data neither model was trained on"),
                    Param.of("target", Type.choice("diff01", "diffProb"), new Value.Symbol("diff01"),
                            "diff01: g regresses 1[large right] − 1[small right]; diffProb: p_large(y | x) − p_small(y | x)"),
                    Param.of("threshold", new Type.Real(-1, 1, false), 0.0, "c: defer when g(x) > c (the cost of asking the large model)"),
                    Param.of("hidden", Type.positive(), 64, "width of g's hidden layer"),
                    Param.of("steps", new Type.Int(1, 1_000_000), 500, "training steps of g"),
                    Param.of("batch", Type.positive(), 128, "examples per step of g"),
                    Param.of("optimizer", new Type.Component(Kind.OPTIMIZER), new Value.Call("adam", Map.of("lr", new Value.Float(1e-3)), null),
                            "g's optimizer"),
                    Param.of("seed", Type.integer(), 0, "seed of g's initial weights and batch order")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public void check(Args args, DataBinding data, String split) throws ProgramSpec.Problem {
        String held = args.str("split");
        List<String> splits = data.schema().splits();
        if (!splits.contains(held)) {
            throw new ProgramSpec.Problem("defer", "data '" + data.name() + "' has no split '" + held + "'" + Spelling.didYouMean(held, splits),
                    "its splits: " + Spelling.list(splits) + (data.spec().signature().param("holdout").isPresent()
                            ? "; hold out training data with " + data.spec().signature().name() + "(holdout = 10000), split \"heldout\"" : ""));
        }
        if (held.equals(split)) {
            throw new ProgramSpec.Problem("defer", "posthoc would learn on " + data.name() + "." + split + ", the split the cascade is measured on",
                    "learn on held-out data, e.g. posthoc(split = \"heldout\")");
        }
    }

    @Override public List<String> splits(Args args) { return List.of(args.str("split")); }

    @Override
    public Fitted fit(Args args, ProgramJob job, Session session, Cascade.Outputs.Source outputs)
            throws DataException, RunFailure, java.io.IOException {
        Cascade.Outputs held = outputs.of(args.str("split"));
        boolean probabilities = args.symbol("target").equals("diffProb");
        float[] y = new float[held.labels().length];
        for (int n = 0; n < y.length; n++) y[n] = (float) target(held.small()[n], held.large()[n], held.labels()[n], probabilities);
        int width = features(held.small()[0]).length;
        ModelGraph g = model(width, args.i("hidden"));
        DataSchema schema = new DataSchema(List.of(new DataSchema.Field("features", Shape.batch(DType.FLOAT, width))),
                new DataSchema.Field("label", Shape.batch(DType.FLOAT)), 0, List.of("train"));
        Parameters variables = new Parameters("posthoc");
        long seed = args.integer("seed");
        Value.Call mse = new Value.Call("mse", null, Map.of(), null, Registry.standard().lookup(Kind.LOSS, "mse").get(0));
        CompiledModel training = session.compiler().compile(g, schema, mse, variables, seed, DataType.FLOAT);
        Value.Call optimizer = args.call("optimizer");
        TrainPlan plan = new TrainPlan(Math.min(args.i("batch"), y.length), args.integer("steps"), 0, seed,
                (Optimizer) optimizer.spec(), optimizer.asArgs(), null, 0, job.span());
        Dataset data = Dataset.of(List.of(new Dataset.Floats(featureMatrix(held.small()), new long[] {width})),
                new Dataset.Floats(y, new long[0]));
        TrainResult trained = new Trainer().train(training, data, plan, TrainListener.NONE);
        CompiledModel inference = session.compiler().inference(g, schema, variables, seed, DataType.FLOAT);
        double threshold = args.real("threshold");
        String described = String.format(Locale.ROOT, "posthoc(%s, threshold = %.4g): g %d → %d → 1 trained on %s.%s, %d steps, final loss %.4f",
                args.symbol("target"), threshold, width, args.i("hidden"), job.data().name(), args.str("split"), trained.steps(), trained.finalLoss());
        return new Fitted() {
            @Override public double[] scores(double[][] small) { return predict(inference, small); }
            @Override public boolean defers(double score, double t) { return score > t; }
            @Override public double threshold() { return threshold; }
            @Override public long flops() { return g.cost().flops(); }
            @Override public String describe() { return described; }
        };
    }

    /** Diff-01 {@code 1[y = argmax p₂] − 1[y = argmax p₁]}, or Diff-Prob {@code p₂(y) − p₁(y)}. */
    static double target(double[] small, double[] large, int label, boolean probabilities) {
        if (probabilities) return large[label] - small[label];
        return (Sampler.argmax(large) == label ? 1 : 0) - (Sampler.argmax(small) == label ? 1 : 0);
    }

    /** The top-k probabilities in descending order, the entropy {@code −Σ p log p}, and the margin {@code p₍₁₎ − p₍₂₎}. */
    static double[] features(double[] p) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        int k = Math.min(TOP, p.length);
        double[] f = new double[k + 2];
        for (int i = 0; i < k; i++) f[i] = sorted[p.length - 1 - i];
        double entropy = 0;
        for (double q : p) if (q > 0) entropy -= q * Math.log(q);
        f[k] = entropy;
        f[k + 1] = p.length > 1 ? sorted[p.length - 1] - sorted[p.length - 2] : sorted[0];
        return f;
    }

    private static float[] featureMatrix(double[][] small) {
        int width = features(small[0]).length;
        float[] out = new float[small.length * width];
        for (int n = 0; n < small.length; n++) {
            double[] f = features(small[n]);
            for (int j = 0; j < width; j++) out[n * width + j] = (float) f[j];
        }
        return out;
    }

    /** g as an Eff model with a declared input, checked by the front end so its cost is the one {@code eff summary} gives. */
    static ModelGraph model(int width, int hidden) {
        String text = """
                model deferral(hidden = %d) {
                    input features: float[%d]
                    dense(hidden, activation = relu)
                    dense(1)
                }
                """.formatted(hidden, width);
        Frontend.Result r = Frontend.check(new Source("posthoc deferral model", text), Registry.standard(), Map.of());
        if (!r.ok()) throw new IllegalStateException("the deferral model does not check:\n" + r.diagnostics().render());
        return r.program().models().values().iterator().next();
    }

    private static double[] predict(CompiledModel g, double[][] small) {
        float[] x = featureMatrix(small);
        int width = x.length / small.length;
        INDArray in = Nd4j.createFromArray(x).reshape(small.length, width);
        INDArray out = g.predict(List.of(in));
        return out.reshape(-1).toDoubleVector();
    }
}
