package dev.eff.dsl.check;

/**
 * What a component costs: trainable parameters, and forward FLOPs per example (a multiply-add counts
 * as two). {@code activeParams} is the parameters that process one token (one position of the example):
 * less than {@code params} for sparse components such as mixtures of experts, equal to it for dense ones.
 */
public record Cost(long params, long activeParams, long flops) {
    public static final Cost FREE = new Cost(0, 0, 0);

    public static Cost of(long params, long flops) { return new Cost(params, params, flops); }

    /** The sum; an {@link ArithmeticException} when a total overflows. */
    public Cost plus(Cost o) {
        return new Cost(Exact.plus(params, o.params), Exact.plus(activeParams, o.activeParams), Exact.plus(flops, o.flops));
    }
}
