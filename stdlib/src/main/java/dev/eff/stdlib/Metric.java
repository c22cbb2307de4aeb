package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.TargetSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An evaluation metric, accumulated on the host over batches of model outputs. */
public interface Metric extends TargetSpec, Component {

    Accumulator start(Args args, long classes);

    interface Accumulator {
        void add(INDArray output, INDArray labels);

        double result();
    }
}
