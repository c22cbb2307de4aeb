package dev.eff.dsl.check;

/** A loss or a metric: it compares a model's output with the data's labels. */
public interface TargetSpec extends ComponentSpec {
    /** Rejects an output/label pair this loss or metric cannot compare. */
    void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException;
}
