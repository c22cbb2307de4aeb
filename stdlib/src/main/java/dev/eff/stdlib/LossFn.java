package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.TargetSpec;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** A training loss, lowered into the graph as a scalar (the mean over the batch and any positions). */
public interface LossFn extends TargetSpec, Component {
    SDVariable lower(SameDiff sd, Args args, SDVariable output, SDVariable labels, long classes);
}
