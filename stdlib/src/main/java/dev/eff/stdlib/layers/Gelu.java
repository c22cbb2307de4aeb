package dev.eff.stdlib.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)), composed from primitives. ND4J's own GELU ops are
 * approximations (sd.nn.gelu is x·σ(1.702x); sd.nn.preciseGelu drops the 0.044715x³ term of the tanh form),
 * while erf has a working gradient, 2/√π·exp(-z²).
 */
final class Gelu {

    /** Elementwise primitive ops emitted per element, for cost estimates. */
    static final long OPS_PER_ELEMENT = 5;

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private Gelu() {}

    static SDVariable apply(SameDiff sd, SDVariable x) {
        return x.mul(sd.math.erf(x.mul(INV_SQRT2)).add(1.0)).mul(0.5);
    }
}
