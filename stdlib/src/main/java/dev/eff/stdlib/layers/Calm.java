package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.EarlyExit;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * CALM, Confident Adaptive Language Modeling (Schuster et al., NeurIPS 2022): every block i of the decoder stack gets
 * an exit through the shared final norm and output head. Training minimises the weighted average of the exits'
 * losses, Σ w_i ℓ_i / Σ w_i with w_i = i ({@code aggregationWeights = 1}), 1 (0) or 2^(i-1) (-1). Decoding stops a
 * token at the first exit whose confidence c passes the threshold λ_t: the softmax response c = p(1) − p(2) of the
 * exit's next-token distribution, the state saturation c = cos(h^(i-1), h^i) of consecutive block outputs (0 at the
 * first exit), or the early-exit classifier's c = σ(w_i·h_i + b_i) ({@link ExitClassifier}, trained after the model with
 * the model frozen); λ_t = λ·exp(−τ·t/N)/10 + 9λ/10 when position-adjusted. λ is chosen by {@code calibrate} so that, with
 * probability at least 1 − epsilon, the expected textual inconsistency with the full model stays at most delta.
 */
@AutoService(Component.class)
public final class Calm implements EarlyExit {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "exit", "calm",
            "CALM early exit, placed after the final norm and before the output head: every block of the decoder stack "
                    + "before it gets an exit through that norm and head. Trains with the weighted average of every exit's "
                    + "loss; generate stops each token at the first exit whose confidence passes the threshold, propagating "
                    + "its state into the skipped blocks' key/value caches; calibrate picks the threshold.",
            List.of(Param.of("delta", new Type.Real(0, 1, true), 0.1,
                            "tolerance: the expected textual inconsistency with the full model calibrate allows"),
                    Param.of("epsilon", new Type.Real(0, 1, true), 0.05,
                            "risk: calibrate's guarantee holds with probability at least 1 − epsilon"),
                    Param.choice("measure", "the confidence of an exit: softmax = top-1 minus top-2 probability of the exit's "
                            + "prediction; state = cosine of the block's output with the previous block's; classifier = a linear "
                            + "early-exit classifier per exit, trained after the model", "softmax", "state", "classifier"),
                    Param.of("threshold", new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.9,
                            "the confidence threshold λ generate uses until calibrate chooses one"),
                    Param.of("aggregationWeights", new Type.Int(-1, 1), 1,
                            "the exits' loss weights w_i, i = 1 … L: 1 → i, 0 → uniform, -1 → 2^(i-1)"),
                    Param.of("minExit", Type.atLeast(1), 1, "the first exit a token may leave at (1: after the first block)"),
                    Param.of("positionAdjusted", new Type.Bool(), false,
                            "decay the threshold with the position t: λ·exp(−positionTemp·t/N)/10 + 9λ/10, N the tokens generated"),
                    Param.of("positionTemp", new Type.Real(0, Double.POSITIVE_INFINITY, false), 4.0,
                            "τ of the position-adjusted threshold"),
                    Param.of("classifierSteps", Type.atLeast(1), 300,
                            "measure = classifier: steps of the second stage that trains the exit classifiers, the model frozen"),
                    Param.of("classifierLr", new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.01,
                            "measure = classifier: Adam's learning rate in that stage")));

    /** The exit classifiers' variables (measure = classifier): one row of weights and one bias per exit but the last. */
    public static final String CLASSIFIER_W = "classifier/w", CLASSIFIER_B = "classifier/b";

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean defaultVariant() { return true; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloat(input, 2);
        return input;
    }

    /** The exit adds no work to the full model; its checks cost one head application each while decoding. */
    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return input;
    }

    /** With {@code measure = classifier}: w [exits − 1, width] and b [exits − 1], from zero (confidence ½), trained in the second stage. */
    @Override
    public void lowerExits(Lowering ctx, Args args, int exits) {
        if (!args.symbol("measure").equals("classifier")) return;
        long width = ((dev.eff.dsl.check.Dim.Fixed) ctx.inputShape().dim(-1)).size();
        ctx.param(CLASSIFIER_W, new long[] {exits - 1, width}, dev.eff.stdlib.Init.ZEROS, dev.eff.stdlib.VariableRole.SECOND_STAGE);
        ctx.param(CLASSIFIER_B, new long[] {exits - 1}, dev.eff.stdlib.Init.ZEROS, dev.eff.stdlib.VariableRole.SECOND_STAGE);
    }

    @Override
    public double[] lossWeights(Args args, int exits) {
        return weights(args.i("aggregationWeights"), exits);
    }

    /** CALM's {@code aggregation_weights}: 1 → w_i = i, 0 → 1, -1 → 2^(i-1), for i = 1 … exits, normalised to sum 1. */
    public static double[] weights(int aggregation, int exits) {
        double[] w = new double[exits];
        double total = 0;
        for (int i = 0; i < exits; i++) {
            w[i] = switch (aggregation) {
                case 1 -> i + 1;
                case 0 -> 1;
                case -1 -> Math.pow(2, i);
                default -> throw new IllegalArgumentException("aggregationWeights is 1, 0 or -1, not " + aggregation);
            };
            total += w[i];
        }
        for (int i = 0; i < exits; i++) w[i] /= total;
        return w;
    }

    /** Softmax response: the top-1 minus the top-2 probability of softmax(logits). */
    public static double softmaxDiff(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) max = Math.max(max, v);
        double total = 0, first = 0, second = 0;
        for (double v : logits) {
            double e = Math.exp(v - max);
            total += e;
            if (e > first) {
                second = first;
                first = e;
            } else if (e > second) {
                second = e;
            }
        }
        return (first - second) / total;
    }

    /** Hidden-state saturation: cos(previous, current); 0 when either is the zero vector. */
    public static double stateCosine(double[] previous, double[] current) {
        double dot = 0, a = 0, b = 0;
        for (int i = 0; i < current.length; i++) {
            dot += previous[i] * current[i];
            a += previous[i] * previous[i];
            b += current[i] * current[i];
        }
        return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
    }

    /** The threshold at the t-th generated token (0-based) of {@code n}: λ, or λ·exp(−τ·t/n)/10 + 9λ/10 position-adjusted. */
    public static double threshold(double lambda, boolean positionAdjusted, double temp, int t, int n) {
        if (!positionAdjusted) return lambda;
        return lambda * Math.exp(-temp * t / Math.max(n, 1)) / 10 + 9 * lambda / 10;
    }
}
