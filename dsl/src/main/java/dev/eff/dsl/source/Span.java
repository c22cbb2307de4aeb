package dev.eff.dsl.source;

/** A range of characters [start, end) in a source; every AST node and diagnostic carries one. */
public record Span(Source source, int start, int end) {
    public Span {
        if (end < start) end = start;
    }

    public int line() { return source.line(start); }
    public int column() { return source.column(start); }

    /** The smallest span covering both. */
    public Span to(Span other) {
        return new Span(source, Math.min(start, other.start), Math.max(end, other.end));
    }

    public String text() { return source.text().substring(start, Math.min(end, source.text().length())); }

    /** {@code file:line:col}. */
    public String location() { return source.name() + ":" + line() + ":" + column(); }

    @Override public String toString() { return location(); }
}
