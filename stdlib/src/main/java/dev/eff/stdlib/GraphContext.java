package dev.eff.stdlib;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What every node of one graph lowers against: the graph, the variables of the model instance it belongs to, the
 * model seed (initial values), the dtype, the training flag placeholder, and whether the graph is built for
 * inference (evaluation and prediction) rather than training.
 */
public record GraphContext(SameDiff sd, Parameters parameters, long seed, DataType dtype, SDVariable training,
                           boolean inference) {

    public GraphContext {
        if (!dtype.isFPType()) throw new IllegalArgumentException("lowering dtype must be floating point, got " + dtype);
    }
}
