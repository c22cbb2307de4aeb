package dev.eff.dsl.parse;

import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import org.antlr.v4.runtime.Token;

/**
 * Maps ANTLR's code-point indices to the UTF-16 offsets that {@link Span} uses; they differ as soon as a
 * script contains a character outside the Basic Multilingual Plane (an emoji in a comment).
 */
final class Offsets {
    private final Source source;
    private final int base;
    private final int[] charOfCodePoint;

    /** Offsets of a parse of {@code source}'s text from character {@code base} on. */
    Offsets(Source source, int base) {
        this.source = source;
        this.base = base;
        String text = source.text().substring(base);
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) {
            charOfCodePoint = null;
        } else {
            charOfCodePoint = new int[cps + 1];
            int c = 0;
            for (int i = 0; i < cps; i++) {
                charOfCodePoint[i] = c;
                c += Character.charCount(text.codePointAt(c));
            }
            charOfCodePoint[cps] = c;
        }
    }

    int offset(int codePointIndex) {
        int cp = Math.max(0, codePointIndex);
        if (charOfCodePoint == null) return Math.min(base + cp, source.text().length());
        return base + charOfCodePoint[Math.min(cp, charOfCodePoint.length - 1)];
    }

    /** The characters of one token; EOF is an empty span at the end of the text. */
    Span of(Token t) {
        if (t.getType() == Token.EOF) return new Span(source, source.text().length(), source.text().length());
        return new Span(source, offset(t.getStartIndex()), offset(t.getStopIndex() + 1));
    }

    Span of(Token first, Token last) {
        return new Span(source, of(first).start(), Math.max(of(first).start(), of(last).end()));
    }

    /** An empty span just after a token: where a missing closing bracket belongs. */
    Span after(Token t) {
        int end = of(t).end();
        return new Span(source, end, end);
    }

    Source source() { return source; }
}
