package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.stdlib.LossFn;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A loss written in Groovy, {@code { output, labels -> scalar }}: the closure runs once, when the training graph is
 * built, on the model's output and the labels as graph variables, so the loss it builds is part of the graph and the
 * gradient flows through it like through any built-in loss; a step costs what its operations cost, nothing more. The
 * closure also runs once on a trial batch of constants, to refuse a loss that is no scalar before training starts.
 */
final class GroovyLoss implements LossFn, Hook {
    private final HookDecl decl;
    private final Class<? extends Script> script;

    GroovyLoss(HookDecl decl, Class<? extends Script> script) {
        this.decl = decl;
        this.script = script;
    }

    @Override public HookDecl decl() { return decl; }

    @Override public Signature signature() { return Hook.super.signature(); }

    @Override public void check(Args args, Shape output, DataSchema.Field label, long classes) {}

    @Override
    public SDVariable lower(SameDiff sd, Args args, SDVariable output, SDVariable labels, long classes) {
        var closure = HookCalls.closure(decl, script, 2, "{ output, labels -> ... }");
        SDVariable loss = HookCalls.variable(decl, HookCalls.call(decl, script, closure, output,
                HookCalls.labels(labels, output, classes, output.dataType())));
        long[] shape = probe(closure, output, labels, classes);
        if (shape != null && Arrays.stream(shape).reduce(1, (a, b) -> a * b) != 1) {
            throw new CompileException(decl.at(), "loss hook '" + decl.name() + "' must return a scalar, but it returns shape "
                    + Arrays.toString(shape) + " for a batch of " + PROBE_BATCH, "reduce it, e.g. with .mean()");
        }
        return loss;
    }

    private static final int PROBE_BATCH = 2;

    /**
     * The shape of the hook's value for a batch of {@link #PROBE_BATCH}, from a throwaway graph over constants (the
     * training graph's batch axis is unknown until it runs, and a loss that is no scalar would fail only then, inside
     * SameDiff's gradient); null when the input shapes are not known.
     */
    private long[] probe(Closure<?> closure, SDVariable output, SDVariable labels, long classes) {
        long[] lab = staticShape(labels);
        if (lab == null) return null;
        long[] out = staticShape(output);
        // An op's output has no static shape in SameDiff; the labels say what it must be: a score per class, or the targets'.
        if (out == null) out = classes > 0 ? LongStream.concat(Arrays.stream(lab), LongStream.of(classes)).toArray() : lab;
        SameDiff probe = SameDiff.create();
        SDVariable o = probe.constant("output", Nd4j.rand(output.dataType(), batch(out)).subi(0.5));
        SDVariable l = probe.constant("labels", Nd4j.zeros(labels.dataType(), batch(lab)));
        SDVariable value = HookCalls.variable(decl, HookCalls.call(decl, script, closure, o, HookCalls.labels(l, o, classes,
                output.dataType())));
        try {
            return value.eval().shape();
        } catch (RuntimeException e) {
            throw new CompileException(decl.at(), "loss hook '" + decl.name() + "' fails on a trial batch of " + PROBE_BATCH
                    + " random outputs: " + e.getMessage(), "check the shapes the hook combines: the output is "
                    + Arrays.toString(out) + ", labels are shaped like it (-1: the batch)");
        }
    }

    private static long[] staticShape(SDVariable v) {
        return v.isPlaceHolder() ? v.placeholderShape() : v.getShape();
    }

    private static long[] batch(long[] shape) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) if (i == 0 || s[i] < 0) s[i] = PROBE_BATCH;
        return s;
    }
}
