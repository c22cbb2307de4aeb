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

    /**
     * Every side output this component emits under some arguments: a superset of {@link #sideOutputs(Args)}, so the
     * checker tells a misspelt {@code aux.NAME} ("unknown") from one this model's layers do not emit.
     */
    default List<SideOutput> possibleSideOutputs() { return List.of(); }
}
