package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.ExitSpec;

/**
 * A {@link Layer} that places an early exit after every block of the decoder stack before it (see
 * {@link dev.eff.dsl.check.DecoderStack}). In every graph it is the identity; the runtime trains the model through
 * all exits at once with {@link #lossWeights} and decodes it exit by exit.
 */
public interface EarlyExit extends ExitSpec, PositionWise {

    /** The weight of each exit's loss in the training loss, for {@code exits} exits (the last is the full model); sums to 1. */
    double[] lossWeights(Args args, int exits);

    /**
     * Creates the variables the exits themselves own, for a stack of {@code exits} blocks, in every graph of the model
     * (so checkpoints and bundles hold them); {@code ctx} is scoped to the exit layer and reads its input shape.
     */
    default void lowerExits(Lowering ctx, Args args, int exits) {}
}
