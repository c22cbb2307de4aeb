package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import java.util.List;
import java.util.Locale;

/**
 * Confidence-based deferral (Chow's rule, MaxProb): defer iff {@code max_y p₁(y | x) < τ}, the small model's top
 * probability. Jitkrittum et al. 2023 ("When does confidence-based cascade deferral suffice?") show it is near-optimal
 * when the large model's correctness is roughly monotone in the small model's confidence. Costs no model of its own.
 */
@AutoService(Component.class)
public final class ConfidenceDeferral implements DeferralRule {

    private static final Signature SIGNATURE = new Signature(Kind.DEFERRAL, "confidence", null,
            "Defers an example when the small model's largest class probability is below the threshold (MaxProb).",
            List.of(Param.of("threshold", Type.unit(), 0.9, "τ: defer when max_y p(y | x) < τ; 0 defers nothing, 1 nearly everything")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Fitted fit(Args args, ProgramJob job, Session session, Cascade.Outputs.Source outputs) {
        double threshold = args.real("threshold");
        return new Fitted() {
            @Override public double[] scores(double[][] small) { return confidences(small); }
            @Override public boolean defers(double score, double t) { return score < t; }
            @Override public double threshold() { return threshold; }
            @Override public long flops() { return 0; }
            @Override public String describe() { return String.format(Locale.ROOT, "confidence(threshold = %.4g)", threshold); }
        };
    }

    /** {@code max_y p[n][y]} per example. */
    static double[] confidences(double[][] p) {
        double[] out = new double[p.length];
        for (int n = 0; n < p.length; n++) out[n] = p[n][Sampler.argmax(p[n])];
        return out;
    }
}
