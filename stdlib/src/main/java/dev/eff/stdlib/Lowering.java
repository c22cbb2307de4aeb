package dev.eff.stdlib;

import dev.eff.dsl.check.Shape;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** What a component sees while it emits its ops: the graph, its place in the model, and parameter creation. */
public interface Lowering {
    SameDiff sd();

    /** A unique prefix for this component's variables, e.g. {@code block2/attention}. */
    String scope();

    Shape inputShape();

    Shape outputShape();

    /** The floating-point type of activations and parameters: FLOAT for training, DOUBLE in gradient checks. */
    DataType dtype();

    /** A trainable parameter named {@code scope/name}, initialised deterministically from the model seed. */
    default SDVariable param(String name, long[] shape, Init init) { return param(name, shape, init, VariableRole.TRAINABLE); }

    /**
     * A parameter with an explicit role: {@link VariableRole#FROZEN} for weights that must never be updated (a teacher),
     * {@link VariableRole#STATE} for buffers drawn from an init that are not weights. Checkpointed either way.
     */
    SDVariable param(String name, long[] shape, Init init, VariableRole role);

    /**
     * A {@link VariableRole#STATE} buffer named {@code scope/name} (random features, statistics), holding
     * {@code initial} (cast to {@link #dtype()}) the first time the model's graphs ask for it; later graphs of the same
     * model instance get the same array, whatever its value has become since.
     */
    SDVariable state(String name, org.nd4j.linalg.api.ndarray.INDArray initial);

    /**
     * A seed for this component's own random draws that are not parameters (a random projection, say): a pure
     * function of the model seed and {@code scope/name}, so a model draws the same values every time it is built.
     */
    long randomSeed(String name);

    /**
     * Runs {@code hook} after every optimizer step of the model instance this graph belongs to, with the model's
     * optimizer steps so far (1 after its first; counting on across train statements and a resumed run), for state that changes on a schedule (redrawn random features). A hook
     * is registered once per {@code scope/name}, however many graphs of the instance are lowered.
     */
    void afterEachStep(String name, StepHook hook);

    /** Work a component does between training steps, outside the graph. */
    @FunctionalInterface
    interface StepHook {
        void afterStep(long step);
    }

    /** A scalar float that is 1 while training and 0 at inference (for dropout and the like). */
    SDVariable training();

    /** A fresh, unique op name in this component's scope. */
    String name(String hint);

    /** True when this graph is built for evaluation and prediction, false for training (a compile-time choice). */
    boolean inference();

    /** Emits auxiliary loss {@code name} (a scalar), declared by {@link dev.eff.dsl.check.LayerSpec#sideOutputs}. */
    void aux(String name, SDVariable scalar);

    /** Emits probe {@code name} (a statistic), declared by {@link dev.eff.dsl.check.LayerSpec#sideOutputs}. */
    void probe(String name, SDVariable value);
}
