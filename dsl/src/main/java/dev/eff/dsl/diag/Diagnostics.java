package dev.eff.dsl.diag;

import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects diagnostics across stages; stages report and go on rather than throw. A script with thousands
 * of mistakes (generated or binary text) keeps only the first {@link #MAX_KEPT} and counts the rest, and
 * {@link #render()} shows the first {@link #MAX_SHOWN} with "and N more".
 */
public final class Diagnostics {
    public static final int MAX_KEPT = 1000;
    public static final int MAX_SHOWN = 50;

    private final List<Diagnostic> items = new ArrayList<>();
    private int droppedErrors;
    private int droppedWarnings;

    public void add(Diagnostic d) {
        if (items.size() < MAX_KEPT) items.add(d);
        else if (d.severity() == Severity.ERROR) droppedErrors++;
        else droppedWarnings++;
    }

    public void error(Span span, String message) { add(Diagnostic.error(span, message)); }

    public void error(Span span, String message, String hint) { add(Diagnostic.error(span, message, hint)); }

    public void addAll(Diagnostics other) {
        other.items.forEach(this::add);
        droppedErrors += other.droppedErrors;
        droppedWarnings += other.droppedWarnings;
    }

    public boolean hasErrors() { return droppedErrors > 0 || items.stream().anyMatch(d -> d.severity() == Severity.ERROR); }

    public int errorCount() { return droppedErrors + (int) items.stream().filter(d -> d.severity() == Severity.ERROR).count(); }

    /** Every diagnostic, kept or not. */
    public int size() { return items.size() + droppedErrors + droppedWarnings; }

    /** In source order: file, then offset. */
    public List<Diagnostic> sorted() {
        return items.stream()
                .sorted(Comparator.comparing((Diagnostic d) -> d.span().source().name())
                        .thenComparingInt(d -> d.span().start()))
                .toList();
    }

    /** The kept diagnostics (at most {@link #MAX_KEPT}), in the order they were found. */
    public List<Diagnostic> all() { return List.copyOf(items); }

    /** The first {@link #MAX_SHOWN} in source order, "and N more errors" when there are more, and the error count. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        List<Diagnostic> sorted = sorted();
        sorted.stream().limit(MAX_SHOWN).forEach(d -> sb.append(d.render()));
        int more = size() - Math.min(MAX_SHOWN, sorted.size());
        if (more > 0) {
            long moreErrors = errorCount() - sorted.stream().limit(MAX_SHOWN).filter(d -> d.severity() == Severity.ERROR).count();
            sb.append("... and ").append(more).append(" more ")
                    .append(moreErrors == more ? (more == 1 ? "error" : "errors") : more == 1 ? "diagnostic" : "diagnostics")
                    .append(" (fix the first ones: later errors often follow from them)\n");
        }
        int n = errorCount();
        if (n > 0) sb.append(n).append(n == 1 ? " error\n" : " errors\n");
        return sb.toString();
    }
}
