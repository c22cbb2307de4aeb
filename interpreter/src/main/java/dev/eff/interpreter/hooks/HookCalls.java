package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.HookDecl;
import dev.eff.interpreter.compile.CompileException;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Running a hook's code: its script once per use (a new instance each time, as script instances are not thread-safe)
 * to get the closure it ends with, then the closure. A failure of the code is reported at the line of the hook's code
 * it happened on, with Groovy's message, never as a stack trace.
 */
final class HookCalls {
    private HookCalls() {}

    /** The closure the hook's script evaluates to, taking {@code params} arguments; {@code shape} says which, for messages. */
    static Closure<?> closure(HookDecl decl, Class<? extends Script> script, int params, String shape) {
        Object result;
        try {
            result = InvokerHelper.createScript(script, new Binding()).run();
        } catch (RuntimeException | AssertionError e) {
            throw failure(decl, script, e);
        }
        if (!(result instanceof Closure<?> c) || c.getMaximumNumberOfParameters() != params) {
            String got = result instanceof Closure<?> c ? "a closure of " + c.getMaximumNumberOfParameters() + " parameters"
                    : result == null ? "nothing" : "a " + result.getClass().getSimpleName();
            throw new CompileException(decl.at(), decl.kind().word() + " hook '" + decl.name() + "' must end with a closure " + shape
                    + ", but it gives " + got, "e.g. hook " + decl.name() + " = groovy \"\"\" " + shape + " \"\"\"");
        }
        return c;
    }

    /** Calls the closure; a failure inside it becomes a diagnostic at the hook's line where it happened. */
    static Object call(HookDecl decl, Class<? extends Script> script, Closure<?> closure, Object... args) {
        try {
            return closure.call(args);
        } catch (RuntimeException | AssertionError e) {
            throw failure(decl, script, e);
        }
    }

    /** The closure's result as a graph variable, or a diagnostic saying what it was instead. */
    static SDVariable variable(HookDecl decl, Object result) {
        if (result instanceof SDVariable v) return v;
        throw new CompileException(decl.at(), decl.kind().word() + " hook '" + decl.name() + "' must return a graph variable, but it returned "
                + (result == null ? "null" : result + " (a " + result.getClass().getSimpleName() + ")"),
                "compute it from the closure's arguments, e.g. (output - labels).mean()");
    }

    /**
     * Labels as a hook sees them: class ids become one-hot floats shaped like the output (all zeros where a label is
     * negative, i.e. missing); regression targets become floats shaped like the output.
     */
    static SDVariable labels(SDVariable labels, SDVariable output, long classes, DataType dtype) {
        if (classes > 0) return labels.getSameDiff().oneHot(labels, Math.toIntExact(classes), -1, 1.0, 0.0, dtype);
        return labels.castTo(dtype).reshape(output.shape());
    }

    /** Groovy's {@code assert} throws an {@link AssertionError}: a hook's own check, reported like any failure. */
    private static CompileException failure(HookDecl decl, Class<? extends Script> script, Throwable e) {
        int line = 0;
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith(script.getName()) && f.getLineNumber() > 0) {
                line = f.getLineNumber();
                break;
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().lines().findFirst().orElse("");
        return new CompileException(line > 0 ? decl.position(line, 1) : decl.at(),
                decl.kind().word() + " hook '" + decl.name() + "' failed: " + message,
                "the hook's code runs on graph variables (SDVariable) when the graph is built");
    }
}
