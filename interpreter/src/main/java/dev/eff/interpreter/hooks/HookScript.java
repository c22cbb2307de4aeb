package dev.eff.interpreter.hooks;

import groovy.lang.Script;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * The base class of every hook script: the math a hook calls by name ({@code softmax(x)}, {@code log(p)}, {@code
 * mean(x)}, ...), on graph variables. Closures a hook returns are owned by the script, so these resolve inside them
 * too. Softmax and its log act on the last axis (the classes); reductions without axes reduce everything.
 */
public abstract class HookScript extends Script {

    public SDVariable softmax(SDVariable x) { return x.getSameDiff().nn().softmax(x, -1); }

    /**
     * {@code x - m - log Σ exp(x - m)} with {@code m} the (constant) maximum of the last axis: exact, overflow-free, and
     * built from ops whose graph SameDiff can copy for its gradient (its own {@code logSoftmax(x, -1)} cannot be).
     */
    public SDVariable logSoftmax(SDVariable x) {
        SameDiff sd = x.getSameDiff();
        SDVariable shifted = x.sub(new StopGradient(sd, sd.max(x, true, -1)).outputVariable());
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, -1)));
    }

    public SDVariable sigmoid(SDVariable x) { return x.getSameDiff().nn().sigmoid(x); }

    public SDVariable relu(SDVariable x) { return x.getSameDiff().nn().relu(x, 0); }

    public SDVariable tanh(SDVariable x) { return x.getSameDiff().math().tanh(x); }

    public SDVariable log(SDVariable x) { return x.getSameDiff().math().log(x); }

    public SDVariable exp(SDVariable x) { return x.getSameDiff().math().exp(x); }

    public SDVariable sqrt(SDVariable x) { return x.getSameDiff().math().sqrt(x); }

    public SDVariable square(SDVariable x) { return x.getSameDiff().math().square(x); }

    public SDVariable abs(SDVariable x) { return x.getSameDiff().math().abs(x); }

    public SDVariable pow(SDVariable x, Number exponent) { return x.pow(exponent.doubleValue()); }

    /** Elementwise, limited to [lo, hi] (the gradient is zero outside). */
    public SDVariable clamp(SDVariable x, Number lo, Number hi) {
        return x.getSameDiff().math().clipByValue(x, lo.doubleValue(), hi.doubleValue());
    }

    public SDVariable max(SDVariable a, SDVariable b) { return a.getSameDiff().math().max(a, b); }

    public SDVariable min(SDVariable a, SDVariable b) { return a.getSameDiff().math().min(a, b); }

    public SDVariable mean(SDVariable x, int... axes) { return x.mean(axes); }

    public SDVariable sum(SDVariable x, int... axes) { return x.sum(axes); }
}
