package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.HookDecl;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.stdlib.LossFn;
import groovy.lang.Script;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A loss written in Groovy, {@code { output, labels -> scalar }}: the closure runs once, when the training graph is
 * built, on the model's output and the labels as graph variables, so the loss it builds is part of the graph and the
 * gradient flows through it like through any built-in loss; a step costs what its operations cost, nothing more.
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
        long[] shape = loss.getShape();
        if (shape != null && shape.length > 0 && java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b) != 1) {
            throw new CompileException(decl.at(), "loss hook '" + decl.name() + "' must return a scalar, but it returns shape "
                    + java.util.Arrays.toString(shape), "reduce it, e.g. with .mean()");
        }
        return loss;
    }
}
