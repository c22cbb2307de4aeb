package dev.eff.interpreter.repl;

import dev.eff.grammar.EffLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * How the REPL reads what is typed. An entry continues on the next line while a bracket or a block comment is open
 * (counted on Eff's own tokens, so brackets inside strings and comments do not count); any other mistake is the
 * checker's to report. For completion the word under the cursor is the name being typed, a {@code :command}, or
 * the path after {@code :load}.
 */
final class EffLineParser implements Parser {

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith(":")) {
            String missing = missing(line);
            if (missing != null) throw new EOFError(-1, -1, "unclosed " + missing, missing);
        }
        int start = cursor, end = cursor;
        boolean path = line.stripLeading().startsWith(":load ");
        int colon = line.stripLeading().startsWith(":") ? line.indexOf(':') : -1;
        while (start > 0 && wordChar(line.charAt(start - 1), path, start - 1 == colon)) start--;
        while (end < line.length() && wordChar(line.charAt(end), path, false)) end++;
        return new Line(line, cursor, line.substring(start, end), cursor - start, List.of(line.substring(start, end)));
    }

    /** The closing bracket (or comment end) that {@code text} still lacks, or null when nothing is left open. */
    static String missing(String text) {
        EffLexer lexer = new EffLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Integer> open = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            switch (t.getType()) {
                case EffLexer.LPAREN, EffLexer.LBRACK, EffLexer.LBRACE -> open.add(t.getType());
                case EffLexer.RPAREN, EffLexer.RBRACK, EffLexer.RBRACE -> {
                    // A stray closer is a syntax error for the parser to report, not a reason to wait for more.
                    if (open.isEmpty()) return null;
                    open.remove(open.size() - 1);
                }
                case EffLexer.UNTERMINATED_COMMENT -> { return "*/"; }
                default -> { }
            }
        }
        if (open.isEmpty()) return null;
        int last = open.get(open.size() - 1);
        return last == EffLexer.LPAREN ? ")" : last == EffLexer.LBRACK ? "]" : "}";
    }

    private static boolean wordChar(char c, boolean path, boolean commandColon) {
        return Character.isLetterOrDigit(c) || c == '_' || commandColon || path && (c == '/' || c == '.' || c == '-' || c == '~');
    }

    /** Eff has no escapes to add to a completed word: candidates go in as they are. */
    private record Line(String line, int cursor, String word, int wordCursor, List<String> words) implements CompletingParsedLine {
        @Override public int wordIndex() { return 0; }

        @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }

        @Override public int rawWordCursor() { return wordCursor; }

        @Override public int rawWordLength() { return word.length(); }
    }
}
