package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/**
 * A script's hook as the checker declares it: {@code name} of {@code kind} (loss, metric or callback), written in
 * {@code language}; {@code code} spans its source text (inside the triple quotes of the .eff file, or the whole
 * .groovy file it names), so a compile error maps back to the line and column where it was written.
 */
public record HookDecl(String name, Kind kind, String language, Span code, Span at) {

    /** The code's text, as the hook's language compiles it. */
    public String source() { return code.text(); }

    /** The span of {@code line}:{@code column} (1-based) of the code, as a compiler of the language reports them. */
    public Span position(int line, int column) {
        String text = source();
        int offset = 0;
        for (int l = 1; l < line; l++) {
            int next = text.indexOf('\n', offset);
            if (next < 0) break;
            offset = next + 1;
        }
        int end = text.indexOf('\n', offset);
        int lineEnd = end < 0 ? text.length() : end;
        int at = Math.min(offset + Math.max(column, 1) - 1, lineEnd);
        int start = code.start() + at;
        return new Span(code.source(), start, Math.min(start + 1, code.start() + lineEnd));
    }
}
