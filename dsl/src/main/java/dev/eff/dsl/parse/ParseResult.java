package dev.eff.dsl.parse;

import dev.eff.dsl.ast.Program;
import dev.eff.dsl.diag.Diagnostics;

/**
 * A parsed script and its syntax diagnostics. When there are errors, {@code program} holds only the
 * statements that parsed cleanly, so tools still see a partial tree.
 */
public record ParseResult(Program program, Diagnostics diagnostics) {
    public boolean ok() { return !diagnostics.hasErrors(); }
}
