package dev.eff.dsl.check;

import java.util.List;
import java.util.Map;

/** A component that transforms the model's stream: a shape rule and a cost model. */
public interface LayerSpec extends ComponentSpec {

    /**
     * The output shape for this input, or a {@link ShapeException} saying why the input is not accepted.
     * {@code refs} holds the shapes of arguments of type {@link Type.Ref}, by parameter name.
     */
    Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException;

    /** Parameters and forward FLOPs per example, for this input and output. */
    Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException;

    /** The auxiliary losses and probes this call emits (none by default); the lowering emits exactly these. */
    default List<SideOutput> sideOutputs(Args args) { return List.of(); }

    /** Whether this call makes its model causal: position t reads only positions ≤ t (a causal attention). */
    default boolean causal(Args args) { return false; }

    /**
     * Called for every call of a model that has a {@link #causal} call anywhere: throws, saying why, when this
     * call would let a position read later ones (and so undo the causality), which a shape rule cannot see.
     */
    default void checkInCausalModel(Args args) throws ShapeException {}

    /**
     * For a layer that reads integer ids (an embedding): the number of ids it has vectors for, so ids must lie in
     * {@code 0 … n-1}; the checker compares it with the range the data declares. 0 for layers that read no ids.
     */
    default long idVocabulary(Args args) { return 0; }

    /**
     * Elements per example that the layer keeps for the backward pass besides its output (the [h, T, T] scores
     * of attention, the hidden layer of an MLP block), for the static memory estimate. 0 by default.
     */
    default long intermediateElements(Args args, Shape input, Shape output) throws ShapeException { return 0; }

    /**
     * Every side output this component emits under some arguments: a superset of {@link #sideOutputs(Args)}, so the
     * checker tells a misspelt {@code aux.NAME} ("unknown") from one this model's layers do not emit.
     */
    default List<SideOutput> possibleSideOutputs() { return List.of(); }
}
