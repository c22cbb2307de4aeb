package dev.eff.interpreter.compile;

import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Lowering;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the {@link Lowering} context one model node lowers in (its scope, shapes, seed, training flag and whether
 * the graph is built for inference).
 */
@FunctionalInterface
public interface LoweringFactory {
    Lowering create(SameDiff sd, String scope, Shape input, Shape output, long seed, DataType dtype, SDVariable training,
                    boolean inference);
}
