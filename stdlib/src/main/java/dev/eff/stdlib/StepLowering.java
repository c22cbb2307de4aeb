package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Optional for a {@link Layer}: lowers one decoding position of a causal model, so that generating a token costs one
 * position rather than a whole sequence. The graph it emits into computes the newest position only; what earlier
 * positions left behind (an attention layer's keys and values) comes in as cache tensors and goes out extended by
 * this position. A model whose every layer has a step lowering decodes with key/value caches; one that has a layer
 * without falls back to running the whole model on the growing sequence.
 */
public interface StepLowering {

    /**
     * Emits the ops of one position. {@code input} is this layer's input for the newest position only (its shape is
     * {@code ctx.inputShape()}, the model's shape with the sequence dimension 1); returns the output for that position.
     */
    SDVariable lowerStep(Step ctx, Args args, SDVariable input, Map<String, SDVariable> refs);

    /** What a step lowering sees besides a {@link Lowering}'s graph, scope, shapes and parameters. */
    interface Step extends Lowering {

        /** The position of the newest token, 0-based: an int of shape [1]. */
        SDVariable position();

        /** How many positions the model was built for (its training sequence length): positions run 0 … this - 1. */
        long graphPositions();

        /**
         * This layer's cache {@code name} as the previous position left it (-1 in {@code shape} for the dimensions
         * that vary: the batch and the positions so far), or null at the first position, when there is none.
         */
        SDVariable cache(String name, long... shape);

        /** The value cache {@code name} takes for the next position (usually the cache extended by this position). */
        void update(String name, SDVariable value);
    }
}
