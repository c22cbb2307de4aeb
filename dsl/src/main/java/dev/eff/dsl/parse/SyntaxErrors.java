package dev.eff.dsl.parse;

import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.source.Span;
import java.util.HashSet;
import java.util.Set;

/**
 * Collects syntax errors, keeping only the first on each line: after one mistake the parser's recovery
 * tends to produce follow-on complaints about the same line that would only bury the real one. Past
 * {@link #LIMIT} errors the rest are dropped with one closing note, so binary garbage stays readable.
 */
final class SyntaxErrors {
    static final int LIMIT = 25;

    private final Diagnostics diagnostics = new Diagnostics();
    private final Set<Integer> lines = new HashSet<>();
    private int count;
    private boolean truncated;

    void error(Span span, String message, String hint) {
        if (!lines.add(span.line())) return;
        if (count == LIMIT) {
            if (!truncated) {
                truncated = true;
                diagnostics.add(new Diagnostic(dev.eff.dsl.diag.Severity.NOTE, span,
                        "too many syntax errors; stopped reporting after " + LIMIT, null));
            }
            return;
        }
        count++;
        diagnostics.add(Diagnostic.error(span, message, hint));
    }

    boolean any() { return count > 0; }

    Diagnostics diagnostics() { return diagnostics; }
}
