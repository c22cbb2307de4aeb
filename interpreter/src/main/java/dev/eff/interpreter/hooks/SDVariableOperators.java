package dev.eff.interpreter.hooks;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The Groovy operators SameDiff's {@link SDVariable} lacks, as a Groovy extension module (registered in {@code
 * META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule}), so a hook writes {@code a * b}, {@code 2 * a},
 * {@code -a}, {@code a ** 2}, {@code 1 - p}, {@code 3 / a} and {@code a[0]} on graph variables. {@code a + b},
 * {@code a - b}, {@code a / b} and their forms with a number on the right are SDVariable's own {@code plus},
 * {@code minus} and {@code div}; the methods here never overlap them, so Groovy never has two to choose from.
 */
public final class SDVariableOperators {
    private SDVariableOperators() {}

    public static SDVariable multiply(SDVariable self, SDVariable other) { return self.mul(other); }

    public static SDVariable multiply(SDVariable self, Number other) { return self.mul(other.doubleValue()); }

    public static SDVariable multiply(Number self, SDVariable other) { return other.mul(self.doubleValue()); }

    public static SDVariable plus(Number self, SDVariable other) { return other.add(self.doubleValue()); }

    public static SDVariable minus(Number self, SDVariable other) { return other.rsub(self.doubleValue()); }

    public static SDVariable div(Number self, SDVariable other) { return other.rdiv(self.doubleValue()); }

    public static SDVariable power(SDVariable self, Number exponent) { return self.pow(exponent.doubleValue()); }

    public static SDVariable power(SDVariable self, SDVariable exponent) { return self.getSameDiff().math().pow(self, exponent); }

    public static SDVariable power(Number self, SDVariable exponent) {
        // b^x = exp(x · ln b): differentiable in x, with no constant node to name.
        return exponent.getSameDiff().math().exp(exponent.mul(Math.log(self.doubleValue())));
    }

    /** Remainder with the sign of the divisor, as Python's {@code %} (and {@code floorMod}). */
    public static SDVariable mod(SDVariable self, SDVariable other) { return self.getSameDiff().math().floorMod(self, other); }

    public static SDVariable mod(SDVariable self, Number other) { return self.getSameDiff().math().floorMod(self, other.doubleValue()); }

    public static SDVariable negative(SDVariable self) { return self.neg(); }

    public static SDVariable positive(SDVariable self) { return self; }

    /** {@code a[i]}: index {@code i} of the first axis, which is dropped; negative counts from the end. */
    public static SDVariable getAt(SDVariable self, int index) { return self.get(SDIndex.point(index)); }
}
