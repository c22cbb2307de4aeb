package dev.eff.dsl.testing;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.HookDecl;
import dev.eff.dsl.check.HookLanguage;
import dev.eff.dsl.check.Shape;

/**
 * A stand-in for Groovy in the front end's tests (the front end has no Groovy): a hook "compiles" when its braces
 * balance, and the first unmatched one is the error, at its line and column in the hook's code. Registered for the
 * tests only, through {@code META-INF/services} under {@code src/test/resources}.
 */
public final class BracesHookLanguage implements HookLanguage {

    @Override public String name() { return "groovy"; }

    @Override
    public Hook declare(HookDecl decl) throws CompileError {
        String code = decl.source();
        int depth = 0, line = 1, column = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth < 0) {
                throw new CompileError(line, column, "unexpected '}'");
            }
        }
        if (depth > 0) throw new CompileError(line, column + 1, "missing '}'");
        return new Hook() {
            @Override public HookDecl decl() { return decl; }

            @Override public void check(Args args, Shape output, DataSchema.Field label, long classes) {}
        };
    }
}
