package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code calibrate MODEL on DATA.split { prompts = n, ... }}: CALM's threshold by Learn-then-Test. The first
 * {@code promptLength} bytes of n examples of the split are prompts; the full model's greedy continuation of each is
 * the reference; for thresholds λ = 1, 1 − 1/grid, … (safest first) the early-exit decoder continues every prompt
 * greedily, and an example's loss is the fraction of its tokens that differ from the reference (its textual
 * inconsistency). {@link LearnThenTest} keeps the lowest λ it certifies at the exit's delta and epsilon, and the model
 * stores it: {@code generate} and later statements use it.
 */
@AutoService(Component.class)
public final class Calibrate implements Program {

    private static final Signature SIGNATURE = new Signature(Kind.PROGRAM, "calibrate", null,
            "Chooses the threshold of a model's exit(calm) by Learn-then-Test: the lowest one on a descending grid for which, "
                    + "with probability at least 1 − epsilon, the expected textual inconsistency of its greedy text with the "
                    + "full model's stays at most delta (the exit's delta and epsilon; Hoeffding–Bentkus p-values, "
                    + "fixed-sequence testing). Refuses a calibration set too small to certify any threshold. The model keeps "
                    + "the threshold for the statements after it.",
            List.of(Param.of("prompts", Type.atLeast(1), 40, "calibration examples: prompts taken from the split's first examples"),
                    Param.of("promptLength", Type.atLeast(1), 16, "bytes of each example used as its prompt"),
                    Param.of("tokens", Type.atLeast(1), 16, "tokens generated per prompt"),
                    Param.of("grid", new Type.Int(2, 1000), 10, "thresholds tested: 1, 1 − 1/grid, …, 1/grid, in that order")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public DataUse data() { return DataUse.REQUIRED; }

    @Override
    public void check(Args settings, ModelGraph model, DataBinding data) throws Problem {
        if (DecoderStack.of(model).isEmpty()) {
            throw new Problem(null, "model " + model.instance() + " has no early exit to calibrate",
                    "place exit(calm, delta = 0.1) between its final norm and its output head");
        }
        // The same model generate needs: causal, over token ids, with next-token logits.
        new Generate().check(new Args(Map.of("prompt", new dev.eff.dsl.check.Value.Str(""))), model, data);
        Args exit = CalmDecoder.exitArgs(model);
        int needed = LearnThenTest.minimumExamples(exit.real("delta"), exit.real("epsilon"));
        if (settings.integer("prompts") < needed) {
            throw new Problem("prompts", settings.integer("prompts") + " calibration examples cannot certify any threshold at delta = "
                    + exit.real("delta") + ", epsilon = " + exit.real("epsilon") + ": even with no inconsistency at all the "
                    + "p-value (1 − delta)^n stays above epsilon", "use prompts = " + needed + " or more");
        }
        long positions = ((dev.eff.dsl.check.Dim.Fixed) model.inputs().get(0).shape().dim(1)).size();
        if (settings.integer("promptLength") >= positions) {
            throw new Problem("promptLength", "prompts of " + settings.integer("promptLength") + " bytes leave no room in the model's "
                    + positions + " positions", "use a promptLength below " + positions);
        }
    }

    @Override
    public JobReport run(ProgramJob job, Session session) throws DataException, RunFailure {
        Args s = job.settings();
        int n = s.i("prompts"), length = s.i("promptLength"), tokens = s.i("tokens"), grid = s.i("grid");
        Dataset data = session.data(job);
        if (data.size() < n) {
            throw new RunFailure(job.span(), "split '" + job.split() + "' of '" + job.data().name() + "' holds " + data.size()
                    + " examples, fewer than the " + n + " prompts asked for", "use prompts = " + data.size() + " or a larger split");
        }
        long start = System.nanoTime();
        Args exit = CalmDecoder.exitArgs(job.model());
        double delta = exit.real("delta"), epsilon = exit.real("epsilon");
        CalmDecoder decoder = CalmDecoder.forJob(job, session, Double.POSITIVE_INFINITY, tokens);
        if (decoder == null) throw new RunFailure(job.span(), "model " + job.model().instance() + " cannot decode exit by exit: layer "
                + dev.eff.interpreter.compile.StepCompiler.withoutStepLowering(job.model()) + " has no step lowering", "use layers that decode one position at a time");
        Dataset.Ints column = (Dataset.Ints) data.columns().get(0);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = new int[length];
            for (int j = 0; j < length; j++) p[j] = column.at(i, j);
            prompts.add(p);
        }
        Sweep sweep = sweep(decoder, CalmDecoder.Policy.of(exit, Double.POSITIVE_INFINITY, tokens), prompts, tokens, grid,
                risk -> LearnThenTest.pValue(risk, n, delta) > epsilon, session::stopRequested);
        double[] thresholds = sweep.thresholds();
        List<Double> risks = sweep.risks(), layers = sweep.layers();
        LearnThenTest.Choice choice = LearnThenTest.choose(risks.stream().mapToDouble(Double::doubleValue).toArray(), n, delta, epsilon);
        double chosen = choice.chosen() < 0 ? Double.POSITIVE_INFINITY : thresholds[choice.chosen()];
        if (choice.chosen() < 0) {
            session.note("calibrate certified no threshold at delta = " + delta + ": the model keeps every block for every token");
        }
        boolean certified = choice.chosen() >= 0;
        Calibration calibration = Calibration.of(exit, certified ? chosen : null, n, tokens,
                certified ? risks.get(choice.chosen()) : null, certified ? choice.pValues()[choice.chosen()] : null,
                job.span().location());
        Path stored;
        try {
            stored = session.calibrated(job, calibration);
        } catch (IOException e) {
            throw new RunFailure(job.span(), "cannot store the calibration beside the model's checkpoint: " + e.getMessage(),
                    "remove or rename that file, or train the model without a checkpoint");
        }
        if (stored != null) session.note("calibration stored in " + stored);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("certified", choice.chosen() >= 0 ? 1.0 : 0.0);
        if (choice.chosen() >= 0) {
            metrics.put("threshold", chosen);
            metrics.put("inconsistency", risks.get(choice.chosen()));
            metrics.put("p-value", choice.pValues()[choice.chosen()]);
            metrics.put("layers/token", layers.get(choice.chosen()));
        }
        metrics.put("layers", (double) decoder.layers());
        metrics.put("thresholds tested", (double) risks.size());
        double secs = (System.nanoTime() - start) / 1e9;
        return new JobReport("calibrate", job.span().location(), job.model().instance(), job.model().cost().params(), job.data().name(),
                job.split(), null, null, null, 1, null, null, null, null, metrics, n, 0, secs, null, null, null, null);
    }

    /** The empirical risk and the blocks per token at each threshold tested, in testing order. */
    public record Sweep(double[] thresholds, List<Double> risks, List<Double> layers) {}

    /**
     * Decodes every prompt greedily with the full model (the reference), then at thresholds 1, 1 − 1/grid, … until
     * {@code stopAfter} says a risk ends the testing (or {@code stop} asks), measuring each one's risk: the mean over
     * the prompts of their textual inconsistency with the reference.
     */
    public static Sweep sweep(CalmDecoder decoder, CalmDecoder.Policy full, List<int[]> prompts, int tokens, int grid,
                              java.util.function.DoublePredicate stopAfter, java.util.function.BooleanSupplier stop) {
        List<int[]> references = decode(decoder, full, prompts, tokens, stop);
        List<Double> risks = new ArrayList<>(), layers = new ArrayList<>();
        double[] thresholds = new double[grid];
        for (int j = 0; j < grid && !stop.getAsBoolean(); j++) {
            thresholds[j] = 1 - (double) j / grid;
            decoder.clearExits();
            List<int[]> texts = decode(decoder, full.withThreshold(thresholds[j]), prompts, tokens, stop);
            double risk = 0;
            for (int i = 0; i < prompts.size(); i++) risk += inconsistency(references.get(i), texts.get(i)) / prompts.size();
            risks.add(risk);
            layers.add(decoder.exits().stream().mapToInt(Integer::intValue).average().orElse(decoder.layers()));
            if (stopAfter.test(risk)) break;
        }
        return new Sweep(java.util.Arrays.copyOf(thresholds, risks.size()), risks, layers);
    }

    /** Greedy continuations of every prompt under {@code policy}. */
    public static List<int[]> decode(CalmDecoder decoder, CalmDecoder.Policy policy, List<int[]> prompts, int tokens,
                                     java.util.function.BooleanSupplier stop) {
        decoder.policy(policy);
        Sampler greedy = new Sampler(0, 0, 0);
        List<int[]> out = new ArrayList<>();
        for (int[] p : prompts) {
            out.add(Decoding.generate(decoder, p, tokens, greedy, t -> {}, Decoding.LogitsListener.NONE, stop));
        }
        return out;
    }

    /** The fraction of the reference's tokens the text does not reproduce at the same place: a loss in [0, 1]. */
    public static double inconsistency(int[] reference, int[] text) {
        int differ = 0;
        for (int i = 0; i < reference.length; i++) if (i >= text.length || text[i] != reference[i]) differ++;
        return reference.length == 0 ? 0 : (double) differ / reference.length;
    }
}
