package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.LayerSpec;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/** A model component: its shape rule and cost (from {@link LayerSpec}) and its lowering to SameDiff. */
public interface Layer extends LayerSpec, Component {

    /**
     * Emits this component's ops. {@code input} has the static shape {@code ctx.inputShape()} (batch
     * dimension dynamic); the result must have {@code ctx.outputShape()}. {@code refs} holds the values
     * named by {@link dev.eff.dsl.check.Type.Ref} parameters.
     */
    SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs);
}
