package dev.eff.interpreter.programs;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.ProgramSpec;
import dev.eff.stdlib.Component;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.DataException;
import java.util.List;

/**
 * A cascade's rule for passing an example from the small model on to the large one ({@code defer = ...}), seen from
 * what the small model outputs. {@link #fit} makes it ready for one cascade (a post-hoc rule trains there).
 */
public sealed interface DeferralRule extends Component permits ConfidenceDeferral, PosthocDeferral {

    /** Checks the rule's settings against the cascade's data (its splits), before anything runs. */
    default void check(Args args, DataBinding data, String split) throws ProgramSpec.Problem {}

    /** Splits of the data the rule reads besides the cascade's own. */
    default List<String> splits(Args args) { return List.of(); }

    /** The rule ready to score examples. */
    Fitted fit(Args args, ProgramJob job, Session session, Cascade.Outputs.Source outputs) throws DataException, RunFailure, java.io.IOException;

    /** A rule ready for use: a score per example and the threshold that turns scores into decisions. */
    interface Fitted {
        /** One score per example from the small model's probabilities {@code [n][classes]}. */
        double[] scores(double[][] small);

        /** Whether an example with this score is deferred at {@code threshold}. */
        boolean defers(double score, double threshold);

        /** The threshold the rule was written with. */
        double threshold();

        /** FLOPs per example the rule itself costs, by the cost model {@code eff summary} uses (0 when negligible). */
        long flops();

        /** A short description for reports, e.g. {@code posthoc diff01 (8 → 64 → 1, 500 steps, final loss 0.041)}. */
        String describe();
    }
}
