package dev.eff.dsl.diag;

import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics across stages; stages report and go on rather than throw. */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    public void add(Diagnostic d) { items.add(d); }

    public void error(Span span, String message) { add(Diagnostic.error(span, message)); }

    public void error(Span span, String message, String hint) { add(Diagnostic.error(span, message, hint)); }

    public void addAll(Diagnostics other) { items.addAll(other.items); }

    public boolean hasErrors() { return items.stream().anyMatch(d -> d.severity() == Severity.ERROR); }

    public int errorCount() { return (int) items.stream().filter(d -> d.severity() == Severity.ERROR).count(); }

    /** In source order: file, then offset. */
    public List<Diagnostic> sorted() {
        return items.stream()
                .sorted(Comparator.comparing((Diagnostic d) -> d.span().source().name())
                        .thenComparingInt(d -> d.span().start()))
                .toList();
    }

    public List<Diagnostic> all() { return List.copyOf(items); }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : sorted()) sb.append(d.render());
        int n = errorCount();
        if (n > 0) sb.append(n).append(n == 1 ? " error\n" : " errors\n");
        return sb.toString();
    }
}
