package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import groovy.lang.Closure;
import groovy.lang.Script;

/**
 * A callback written in Groovy, {@code { s -> ... }}: run after every step of the train statements that name it
 * ({@code callbacks = [name]}) with the step's {@link StepInfo}, for logging or stopping early ({@code s.stop()}).
 */
final class GroovyCallback implements Hook {
    private final HookDecl decl;
    private final Class<? extends Script> script;

    GroovyCallback(HookDecl decl, Class<? extends Script> script) {
        this.decl = decl;
        this.script = script;
    }

    @Override public HookDecl decl() { return decl; }

    /** The closure, ready to call once per step; its script runs here, once per train statement. */
    Closure<?> start() { return HookCalls.closure(decl, script, 1, "{ s -> ... }"); }

    void after(Closure<?> closure, StepInfo step) { HookCalls.call(decl, script, closure, step); }
}
