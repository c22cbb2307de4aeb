package dev.eff.stdlib;

import dev.eff.dsl.check.Shape;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A {@link Lowering} that passes every call to another: a wrapper overrides only what it changes. */
public abstract class ForwardingLowering implements Lowering {
    protected final Lowering inner;

    protected ForwardingLowering(Lowering inner) { this.inner = inner; }

    @Override public SameDiff sd() { return inner.sd(); }
    @Override public String scope() { return inner.scope(); }
    @Override public Shape inputShape() { return inner.inputShape(); }
    @Override public Shape outputShape() { return inner.outputShape(); }
    @Override public DataType dtype() { return inner.dtype(); }
    @Override public SDVariable param(String name, long[] shape, Init init, VariableRole role) { return inner.param(name, shape, init, role); }
    @Override public SDVariable state(String name, INDArray initial) { return inner.state(name, initial); }
    @Override public long randomSeed(String name) { return inner.randomSeed(name); }
    @Override public void afterEachStep(String name, StepHook hook) { inner.afterEachStep(name, hook); }
    @Override public SDVariable training() { return inner.training(); }
    @Override public String name(String hint) { return inner.name(hint); }
    @Override public boolean inference() { return inner.inference(); }
    @Override public void aux(String name, SDVariable scalar) { inner.aux(name, scalar); }
    @Override public void probe(String name, SDVariable value) { inner.probe(name, value); }
}
