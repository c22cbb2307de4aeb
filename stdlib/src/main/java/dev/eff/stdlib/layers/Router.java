package dev.eff.stdlib.layers;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Lowering;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * How a {@code moe} layer assigns tokens to experts within a routing group of S tokens: the value of its
 * {@code route} parameter ({@code tokenChoice(...)}, {@code expertChoice(...)}). Every expert has the same
 * number C of slots per group; the router decides which token fills each slot.
 */
sealed interface Router extends Component permits TokenChoiceRouter, ExpertChoiceRouter {

    /** Slots per expert and group for groups of {@code groupSize} tokens, in the training or the inference graph. */
    int capacity(Args route, long groupSize, long experts, boolean inference);

    /** Experts that process one token on average (k for token choice, the capacity factor for expert choice). */
    double expertsPerToken(Args route);

    /** Rejects settings that cannot work with this many experts, e.g. k &gt; experts. */
    void check(Args route, long groupSize, long experts) throws ShapeException;

    /** The auxiliary losses and probes this router adds to the layer's common probes; the same for any arguments. */
    List<SideOutput> sideOutputs();

    /** Throws, saying why, when a token's routing depends on later tokens of its group and the call has not opted in. */
    default void checkInCausalModel(Args route) throws ShapeException {}

    /**
     * Routes groups of tokens. {@code logits} and {@code probs} are the router's scores {@code [G, S, E]}.
     * Emits the router's own side outputs through {@code ctx}.
     */
    Routing route(Lowering ctx, Args route, SDVariable logits, SDVariable probs, long groupSize, long experts, int capacity);

    /**
     * A routing decision: {@code dispatch [G, E, C, S]} is 1 where slot c of expert e holds token s (built from
     * indices, so it carries no gradient); {@code gates [G, S, E]} is the weight of expert e's output for token s
     * (a function of the router's probabilities, so the router learns through it); {@code assigned [E]} counts
     * the assignments each expert was asked to take, before any capacity limit (its load).
     */
    record Routing(SDVariable dispatch, SDVariable gates, SDVariable assigned) {}
}
