package dev.eff.dsl.diag;

import dev.eff.dsl.source.Span;

/**
 * A problem found in a script. Errors are values: every stage collects them and goes on, so a user
 * sees all of them in one pass. {@code hint} is optional (null when there is none).
 */
public record Diagnostic(Severity severity, Span span, String message, String hint) {
    private static final int MAX_LINE = 160;
    private static final int CONTEXT = 60;
    /** A word of a message longer than this (a megabyte identifier, a number of 100,000 digits) is abbreviated. */
    static final int MAX_WORD = 80;
    private static final java.util.regex.Pattern LONG_WORD = java.util.regex.Pattern.compile("\\S{" + (MAX_WORD + 1) + ",}");

    public Diagnostic {
        message = abbreviate(oneLine(message));
        hint = hint == null ? null : abbreviate(oneLine(hint));
    }

    /**
     * Messages quote the script (a span's text may run over lines, or hold a stray \r or escape): each
     * line break becomes a space and any other control character a '?', so a message is one clean line.
     */
    static String oneLine(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length()).append(text, 0, i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
            out.append(c == '\r' || c == '\n' || c == '\t' ? ' ' : '?');
        }
        return out == null ? text : out.toString();
    }

    /** Shortens every long word to its start and end, saying how long it was, so no message echoes a huge token. */
    static String abbreviate(String text) {
        if (text.length() <= MAX_WORD) return text;
        java.util.regex.Matcher m = LONG_WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String w = m.group();
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    w.substring(0, 50) + "...(" + w.length() + " characters)..." + w.substring(w.length() - 10)));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, span, message, null);
    }

    public static Diagnostic error(Span span, String message, String hint) {
        return new Diagnostic(Severity.ERROR, span, message, hint);
    }

    public static Diagnostic warning(Span span, String message) {
        return new Diagnostic(Severity.WARNING, span, message, null);
    }

    public Diagnostic withHint(String newHint) {
        return new Diagnostic(severity, span, message, newHint);
    }

    /**
     * {@code file:line:col: error: message}, the source line, a caret under the span, and the hint.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(span.location()).append(": ").append(severity.label()).append(": ").append(message).append('\n');
        int line = span.line();
        String text = span.source().lineText(line);
        if (!text.isBlank() || span.start() < span.source().text().length()) {
            // One character for one: columns stay aligned, and a stray \r or escape never reaches the terminal.
            String shown = visible(text);
            int col = span.column() - 1;
            int endOnLine = span.source().line(Math.max(span.start(), span.end() - 1)) == line
                    ? span.end() - span.start() : shown.length() - col;
            int width = Math.max(1, Math.min(endOnLine, Math.max(1, shown.length() - col)));
            // A very long line (minified or generated text) is shown as a window around the span.
            if (shown.length() > MAX_LINE) {
                int from = Math.max(0, Math.min(col - CONTEXT, shown.length() - MAX_LINE));
                int to = Math.min(shown.length(), from + MAX_LINE);
                String prefix = from > 0 ? "..." : "";
                shown = prefix + shown.substring(from, to) + (to < shown.length() ? "..." : "");
                col = col - from + prefix.length();
                width = Math.max(1, Math.min(width, to - from - (col - prefix.length())));
            }
            out.append("  ").append(shown).append('\n');
            out.append("  ").append(" ".repeat(Math.max(0, col))).append("^".repeat(width)).append('\n');
        }
        if (hint != null && !hint.isEmpty()) out.append("  hint: ").append(hint).append('\n');
        return out.toString();
    }

    private static String visible(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            out.append(c == '\t' ? ' ' : Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** One line, {@code file:line:col: error: message}. */
    public String headline() {
        return span.location() + ": " + severity.label() + ": " + message;
    }
}
