package dev.eff.interpreter.compile;

import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.GraphContext;
import dev.eff.stdlib.Lowering;

/** Makes the {@link Lowering} context one model node lowers in: its graph, its scope (model path) and its shapes. */
@FunctionalInterface
public interface LoweringFactory {
    Lowering create(GraphContext graph, String scope, Shape input, Shape output);
}
