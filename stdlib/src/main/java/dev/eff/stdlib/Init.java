package dev.eff.stdlib;

/** How a parameter starts. Values are drawn from a generator seeded by the model seed and the parameter's name. */
public sealed interface Init {
    record Zeros() implements Init {}
    record Ones() implements Init {}
    /** N(0, std²). */
    record Normal(double std) implements Init {}
    /** U(-limit, limit). */
    record Uniform(double limit) implements Init {}

    Init ZEROS = new Zeros();
    Init ONES = new Ones();

    /** Glorot/Xavier uniform: limit √(6 / (fanIn + fanOut)). */
    static Init glorot(long fanIn, long fanOut) { return new Uniform(Math.sqrt(6.0 / (fanIn + fanOut))); }

    /** He normal for ReLU layers: std √(2 / fanIn). */
    static Init he(long fanIn) { return new Normal(Math.sqrt(2.0 / fanIn)); }
}
