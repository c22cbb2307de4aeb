package dev.eff.dsl.parse;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Program;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import dev.eff.grammar.EffLexer;
import dev.eff.grammar.EffParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;

/**
 * Source text to AST. Lexical problems (unknown characters, unterminated strings and comments) are
 * reported first and repaired in the token stream, so the parser sees sensible input and does not pile
 * follow-on errors onto them. Never throws for any input.
 */
public final class Parser {
    private Parser() {}

    /**
     * Brackets nested deeper than this are refused before parsing: no script needs them, and the parser's
     * lookahead on such input grows with depth × length (seconds at 30,000 levels) before the stack runs out.
     */
    public static final int MAX_NESTING = 200;

    public static ParseResult parse(Source source) {
        Offsets offsets = new Offsets(source, 0);
        SyntaxErrors errors = new SyntaxErrors();
        EffLexer lexer = new EffLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        List<Token> tokens = lexicalPass(lexer, offsets, errors);
        Token tooDeep = tooDeep(tokens);
        if (tooDeep != null) {
            errors.error(offsets.of(tooDeep), "nested too deeply: more than " + MAX_NESTING + " levels of brackets or operators",
                    "split the expression or the model into named parts");
            return new ParseResult(new Program(source, List.of()), errors.diagnostics());
        }
        EffParser parser = parser(tokens, offsets, errors);
        EffParser.ProgramContext tree = parser.program();
        Program program = new AstBuilder(offsets, errors).program(tree);
        return new ParseResult(program, errors.diagnostics());
    }

    /** A single expression, such as the value of a command-line override; null with errors when it does not parse. */
    public record ExprResult(Expr expr, Diagnostics diagnostics) {}

    /** The expression that fills {@code source}'s text from character {@code start} to the end. */
    public static ExprResult parseExpression(Source source, int start) {
        Offsets offsets = new Offsets(source, start);
        SyntaxErrors errors = new SyntaxErrors();
        EffLexer lexer = new EffLexer(CharStreams.fromString(source.text().substring(start), source.name()));
        lexer.removeErrorListeners();
        List<Token> tokens = lexicalPass(lexer, offsets, errors);
        Token tooDeep = tooDeep(tokens);
        if (tooDeep != null) {
            errors.error(offsets.of(tooDeep), "nested too deeply: more than " + MAX_NESTING + " levels of brackets or operators", null);
            return new ExprResult(null, errors.diagnostics());
        }
        EffParser parser = parser(tokens, offsets, errors);
        EffParser.ExprOnlyContext tree = parser.exprOnly();
        if (errors.any() || AstBuilder.hasError(tree)) {
            if (!errors.any()) errors.error(new Span(source, start, source.text().length()), "not a valid value", null);
            return new ExprResult(null, errors.diagnostics());
        }
        Expr e = new AstBuilder(offsets, errors).expr(tree.expr());
        return new ExprResult(errors.any() ? null : e, errors.diagnostics());
    }

    /**
     * The first token that opens a level beyond {@link #MAX_NESTING}, or null. Levels are brackets and the
     * operators of one expression: a chain of them nests in the tree (and in every pass over it) as deeply
     * as brackets do.
     */
    private static Token tooDeep(List<Token> tokens) {
        int[] open = new int[MAX_NESTING + 2];
        int depth = 0;
        int chain = 0;
        for (Token t : tokens) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            switch (t.getType()) {
                case EffLexer.LPAREN, EffLexer.LBRACK, EffLexer.LBRACE -> {
                    open[depth] = chain;
                    if (++depth > MAX_NESTING) return t;
                    chain = 0;
                }
                case EffLexer.RPAREN, EffLexer.RBRACK, EffLexer.RBRACE -> {
                    if (depth > 0) chain = open[--depth];
                }
                case EffLexer.PLUS, EffLexer.MINUS, EffLexer.STAR, EffLexer.SLASH, EffLexer.PERCENT, EffLexer.POW -> {
                    if (depth + ++chain > MAX_NESTING) return t;
                }
                case EffLexer.ID, EffLexer.INT, EffLexer.FLOAT, EffLexer.STRING, EffLexer.TRUE, EffLexer.FALSE, EffLexer.DOT -> { }
                default -> chain = 0;
            }
        }
        return null;
    }

    private static EffParser parser(List<Token> tokens, Offsets offsets, SyntaxErrors errors) {
        EffParser parser = new EffParser(new CommonTokenStream(new ListTokenSource(tokens)));
        parser.removeErrorListeners();
        parser.setErrorHandler(new FriendlyErrorStrategy(offsets, errors));
        return parser;
    }

    private static List<Token> lexicalPass(EffLexer lexer, Offsets offsets, SyntaxErrors errors) {
        List<Token> out = new ArrayList<>();
        CommonToken badRun = null;
        StringBuilder badText = new StringBuilder();
        while (true) {
            CommonToken t = (CommonToken) lexer.nextToken();
            if (t.getType() == EffLexer.BAD_CHAR) {
                t.setChannel(Token.HIDDEN_CHANNEL);
                if (badRun == null || badRun.getStopIndex() + 1 != t.getStartIndex()) {
                    flushBad(badRun, badText, offsets, errors);
                    badRun = new CommonToken(t);
                    badText.setLength(0);
                }
                badRun.setStopIndex(t.getStopIndex());
                badText.append(t.getText());
                out.add(t);
                continue;
            }
            flushBad(badRun, badText, offsets, errors);
            badRun = null;
            if (t.getType() == EffLexer.UNTERMINATED_STRING) {
                errors.error(offsets.of(t), "unterminated string", "close it with '\"' before the end of the line");
                t.setType(EffLexer.STRING);
                t.setText(t.getText() + "\"");
            } else if (t.getType() == EffLexer.UNTERMINATED_COMMENT) {
                Span at = offsets.of(t);
                errors.error(new Span(at.source(), at.start(), at.start() + 2), "unterminated comment",
                        "'/*' has no matching '*/' before the end of the file");
                t.setChannel(Token.HIDDEN_CHANNEL);
            }
            out.add(t);
            if (t.getType() == Token.EOF) return out;
        }
    }

    private static void flushBad(CommonToken run, StringBuilder text, Offsets offsets, SyntaxErrors errors) {
        if (run == null) return;
        String shown = printable(text.toString());
        String quoted = shown.contains("'") ? '"' + shown + '"' : "'" + shown + "'";
        String message = (text.codePointCount(0, text.length()) == 1 ? "unknown character " : "unknown characters ") + quoted;
        errors.error(offsets.of(run), message, hintFor(text.toString()));
    }

    private static String hintFor(String bad) {
        if (bad.startsWith("'")) return "strings are written in double quotes: \"...\"";
        if (bad.startsWith("#")) return "comments start with '//'";
        if (bad.startsWith("|")) return "values flow from one stage to the next with '|>'";
        return null;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(16).forEach(cp -> {
            boolean invisible = Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || (Character.isSpaceChar(cp) && cp != ' ') || cp == 0xfffd || !Character.isDefined(cp);
            if (invisible) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (s.codePointCount(0, s.length()) > 16) out.append("...");
        return out.toString();
    }
}
