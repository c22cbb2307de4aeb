package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import dev.eff.dsl.check.HookLanguage;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import groovy.lang.Closure;

/** Hooks declared from code alone, as the front end declares a script's. */
final class Hooks {
    private Hooks() {}

    static Hook declare(String name, Kind kind, String code) {
        Source source = new Source("test.eff", code);
        Span all = new Span(source, 0, code.length());
        try {
            return new GroovyHooks().declare(new HookDecl(name, kind, "groovy", all, all));
        } catch (HookLanguage.CompileError e) {
            throw new AssertionError(e.line() + ":" + e.column() + ": " + e.getMessage(), e);
        }
    }

    /** The closure a hook's code ends with, taking {@code params} arguments. */
    static Closure<?> closure(String code, int params) {
        Hook h = declare("test", Kind.LOSS, code);
        try {
            return HookCalls.closure(h.decl(), GroovyHooks.compile(code), params, "{ ... }");
        } catch (HookLanguage.CompileError e) {
            throw new AssertionError(e);
        }
    }
}
