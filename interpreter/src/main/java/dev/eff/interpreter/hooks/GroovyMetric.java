package dev.eff.interpreter.hooks;

import dev.eff.interpreter.compile.PlannedExecutor;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.stdlib.Metric;
import groovy.lang.Script;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A metric written in Groovy, {@code { output, labels -> scalar }}, reported as the mean of the closure's value over
 * the evaluated examples (each batch weighted by its size, so write the closure as a mean over its batch). The closure
 * runs once per evaluation, building a small graph on placeholders for the output and labels; each batch then runs
 * that graph.
 */
final class GroovyMetric implements Metric, Hook {
    private static final String OUTPUT = "hook.output", LABELS = "hook.labels";

    private final HookDecl decl;
    private final Class<? extends Script> script;

    GroovyMetric(HookDecl decl, Class<? extends Script> script) {
        this.decl = decl;
        this.script = script;
    }

    @Override public HookDecl decl() { return decl; }

    @Override public Signature signature() { return Hook.super.signature(); }

    @Override public void check(Args args, Shape output, DataSchema.Field label, long classes) {}

    @Override
    public Accumulator start(Args args, long classes) {
        return new Accumulator() {
            private SameDiff sd;
            private String value;
            private double total;
            private long examples;

            @Override
            public void add(INDArray output, INDArray labels) {
                if (sd == null) build(output, labels);
                INDArray v = PlannedExecutor.output(sd, Map.of(OUTPUT, output, LABELS, labels), value).get(value);
                if (v.length() != 1) {
                    throw new CompileException(decl.at(), "metric hook '" + decl.name()
                            + "' must return a scalar, but it returns shape " + Arrays.toString(v.shape()), "reduce it, e.g. with .mean()");
                }
                long n = output.size(0);
                total += v.getDouble(0) * n;
                examples += n;
            }

            private void build(INDArray output, INDArray labels) {
                sd = SameDiff.create();
                SDVariable out = sd.placeHolder(OUTPUT, output.dataType(), batchFree(output.shape()));
                SDVariable lab = sd.placeHolder(LABELS, labels.dataType(), batchFree(labels.shape()));
                DataType dtype = output.dataType().isFPType() ? output.dataType() : DataType.FLOAT;
                var closure = HookCalls.closure(decl, script, 2, "{ output, labels -> ... }");
                value = HookCalls.variable(decl, HookCalls.call(decl, script, closure, out, HookCalls.labels(lab, out, classes, dtype))).name();
            }

            @Override public double result() { return examples == 0 ? Double.NaN : total / examples; }
        };
    }

    private static long[] batchFree(long[] shape) {
        long[] s = shape.clone();
        if (s.length > 0) s[0] = -1;
        return s;
    }
}
