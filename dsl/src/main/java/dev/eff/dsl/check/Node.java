package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.Map;

/**
 * One step of a checked model graph, in SSA form: it reads values by id and defines one new value.
 * Repeats are unrolled and residual blocks become an explicit {@link Residual} join, so lowering is a
 * single pass over a list.
 */
public sealed interface Node {
    /** The id of the value this node defines. */
    String output();

    Shape outputShape();

    Span span();

    /**
     * A component applied to the value {@code input}. {@code refs} maps each parameter of type
     * {@link Type.Ref} to the id of the value it names. {@code path} is a readable, unique name such as
     * {@code block2/attention}, used for parameter names and in summaries.
     */
    record Apply(String output, Span span, String path, LayerSpec spec, Args args, String input,
                 Map<String, String> refs, Shape inputShape, Shape outputShape, Cost cost) implements Node {
        public Apply {
            refs = Map.copyOf(refs);
        }
    }

    /** {@code output = input + branch}: the join at the end of a {@code residual { ... }} block. */
    record Residual(String output, Span span, String path, String input, String branch, Shape outputShape)
            implements Node {
        /** One add per element of an example. */
        public long flops() {
            try {
                return outputShape.exampleElements();
            } catch (ShapeException e) {
                return 0;
            }
        }
    }
}
