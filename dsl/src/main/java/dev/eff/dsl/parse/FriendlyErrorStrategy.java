package dev.eff.dsl.parse;

import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.source.Span;
import dev.eff.grammar.EffParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery (so every statement gets a chance) with messages in the user's words: which bracket
 * is unclosed and where it was opened, what kind of thing was expected ("a value", "a component call or
 * a value name") rather than a token-set dump.
 */
final class FriendlyErrorStrategy extends DefaultErrorStrategy {
    private final Offsets offsets;
    private final SyntaxErrors errors;

    FriendlyErrorStrategy(Offsets offsets, SyntaxErrors errors) {
        this.offsets = offsets;
        this.errors = errors;
    }

    @Override
    protected void reportNoViableAlternative(Parser p, NoViableAltException e) {
        report(p, e.getOffendingToken(), expected(p, e));
    }

    @Override
    protected void reportInputMismatch(Parser p, InputMismatchException e) {
        report(p, e.getOffendingToken(), expected(p, e));
    }

    @Override
    protected void reportUnwantedToken(Parser p) {
        if (inErrorRecoveryMode(p)) return;
        beginErrorCondition(p);
        Token t = p.getCurrentToken();
        boolean closer = t.getType() == EffParser.RPAREN || t.getType() == EffParser.RBRACE || t.getType() == EffParser.RBRACK;
        if (!closer) {
            report(p, t, getExpectedTokens(p));
            return;
        }
        Open open = innermostOpen(p.getContext());
        String hint = open == null ? "there is no open bracket for it to close"
                : "the innermost open bracket is " + open.what + " opened at " + at(open.opener);
        errors.error(offsets.of(t), "expected " + describe(getExpectedTokens(p), p.getContext()) + ", found " + found(t), hint);
    }

    @Override
    protected void reportMissingToken(Parser p) {
        if (inErrorRecoveryMode(p)) return;
        beginErrorCondition(p);
        report(p, p.getCurrentToken(), getExpectedTokens(p));
    }

    private static IntervalSet expected(Parser p, RecognitionException e) {
        IntervalSet s = e.getExpectedTokens();
        return s == null ? p.getExpectedTokens() : s;
    }

    private void report(Parser p, Token found, IntervalSet expected) {
        ParserRuleContext ctx = p.getContext();
        Token previous = previousToken(p.getInputStream(), found);
        Open open = innermostOpen(ctx);
        String message;
        String hint = null;
        if (found.getType() == Token.EOF) {
            message = open != null
                    ? "unexpected end of input: " + open.what + " opened at " + at(open.opener) + " is not closed"
                    : "unexpected end of input: expected " + describe(expected, ctx);
            if (open != null) hint = "add '" + closer(open.closer) + "'";
        } else if (open != null && open.closer == EffParser.RBRACE && startsStatement(found)) {
            // 'train', 'model', ... cannot appear inside braces: the '}' before them is missing.
            message = open.what + " opened at " + at(open.opener) + " is not closed before " + found(found);
            hint = "add '}' before this line";
        } else if (open != null && open.closer != EffParser.RBRACE && expected.contains(open.closer)) {
            // Inside parentheses or brackets the missing closer is the likely mistake; a block's '}' is
            // only one of many things that may come next, so there the expected statement is described.
            message = "expected '" + closer(open.closer) + "' to close " + open.what + " opened at " + at(open.opener);
            hint = "found " + found(found) + (startsValue(found) ? "; separate arguments with ','" : "");
        } else {
            message = "expected " + describe(expected, ctx) + ", found " + found(found);
            hint = hintFor(found, expected, previous);
        }
        // Lines as Source counts them (ANTLR's ignore a lone \r line ending).
        boolean sameLine = previous == null || offsets.of(previous).line() == offsets.of(found).line();
        boolean statementLevel = ctx instanceof EffParser.ProgramContext || ctx instanceof EffParser.TopStmtContext
                || ctx instanceof EffParser.BlockContext || ctx instanceof EffParser.SettingsContext;
        Span span = previous != null && (found.getType() == Token.EOF || (!sameLine && !statementLevel))
                ? offsets.after(previous) : offsets.of(found);
        errors.error(span, message, hint);
    }

    private static String hintFor(Token found, IntervalSet expected, Token previous) {
        if (found.getType() == EffParser.ASSIGN && previous != null && previous.getType() == EffParser.ID
                && expected.contains(EffParser.LET)) {
            return "to name a value write 'let " + previous.getText() + " = ...'";
        }
        if (isKeyword(found.getType()) && expected.size() == 1 && expected.contains(EffParser.ID)) {
            return "'" + found.getText() + "' is a keyword and cannot be used as a name";
        }
        return null;
    }

    /** Keywords that only start a top-level statement ('let' also names a value inside a model). */
    private static boolean startsStatement(Token t) {
        int k = t.getType();
        return k == EffParser.IMPORT || k == EffParser.DATA || k == EffParser.MODEL || k == EffParser.HOOK || k == EffParser.TRAIN
                || k == EffParser.EVALUATE;
    }

    private static boolean startsValue(Token t) {
        int k = t.getType();
        return k == EffParser.ID || k == EffParser.INT || k == EffParser.FLOAT || k == EffParser.STRING
                || k == EffParser.LBRACK || k == EffParser.TRUE || k == EffParser.FALSE || k == EffParser.MINUS;
    }

    private static boolean isKeyword(int type) {
        return type >= EffParser.IMPORT && type <= EffParser.FALSE;
    }

    /** The last token on the default channel before {@code t}. */
    private static Token previousToken(TokenStream in, Token t) {
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token c = in.get(i);
            if (c.getChannel() == Token.DEFAULT_CHANNEL) return c;
        }
        return null;
    }

    private String at(Token t) {
        Span s = offsets.of(t);
        return s.line() + ":" + s.column();
    }

    private static String closer(int type) {
        return switch (type) {
            case EffParser.RPAREN -> ")";
            case EffParser.RBRACE -> "}";
            default -> "]";
        };
    }

    static String found(Token t) {
        return switch (t.getType()) {
            case Token.EOF -> "end of input";
            case EffParser.STRING -> "a string";
            case EffParser.INT, EffParser.FLOAT -> "the number " + t.getText();
            default -> {
                String text = t.getText();
                if (text.length() > 24) text = text.substring(0, 21) + "...";
                yield (isKeyword(t.getType()) ? "the keyword '" : "'") + text + "'";
            }
        };
    }

    /** What was expected, in words chosen by the rule being parsed. */
    private static String describe(IntervalSet expected, ParserRuleContext ctx) {
        if (ctx instanceof EffParser.ProgramContext || ctx instanceof EffParser.TopStmtContext) {
            return "a statement (import, let, data, model, train or evaluate)";
        }
        if (expected.contains(EffParser.INPUT) && expected.contains(EffParser.ID)) {
            return "a component call or a value name";
        }
        if (expected.contains(EffParser.INT) && expected.contains(EffParser.ID)) return "a value";
        if (onlyNames(expected)) {
            if (ctx instanceof EffParser.ModelDeclContext) return "the model's name";
            if (ctx instanceof EffParser.DataRefContext) return "a data name or split";
            if (ctx instanceof EffParser.TensorTypeContext) return "an element type (int or float)";
            return "a name";
        }
        List<String> words = new ArrayList<>();
        for (int type : expected.toArray()) {
            if (type == Token.EOF) words.add("end of input");
            else if (type == EffParser.ID) words.add("a name");
            else if (type == EffParser.STRING) words.add("a string");
            else {
                String lit = EffParser.VOCABULARY.getLiteralName(type);
                if (lit != null) words.add(lit);
            }
            if (words.size() == 5) break;
        }
        return words.isEmpty() ? "something else" : Spelling.joinOr(words);
    }

    /** A name, or a keyword standing as one. */
    private static boolean onlyNames(IntervalSet expected) {
        if (!expected.contains(EffParser.ID)) return false;
        for (int t : expected.toArray()) if (t != EffParser.ID && !isKeyword(t)) return false;
        return true;
    }

    /** A bracketed construct that has been opened and not yet closed. */
    private record Open(String what, Token opener, int closer) {}

    private static Open innermostOpen(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            Open o = openOf(c);
            if (o != null) return o;
        }
        return null;
    }

    private static Open openOf(ParserRuleContext c) {
        if (c instanceof EffParser.CallContext call && call.LPAREN() != null && call.RPAREN() == null) {
            return new Open("the call to '" + text(call.ID()) + "'", call.LPAREN().getSymbol(), EffParser.RPAREN);
        }
        if (c instanceof EffParser.ModelDeclContext m && m.LPAREN() != null && m.RPAREN() == null) {
            return new Open("the parameter list of model '" + text(m.ID()) + "'", m.LPAREN().getSymbol(), EffParser.RPAREN);
        }
        if (c instanceof EffParser.ModelRefContext m && m.LPAREN() != null && m.RPAREN() == null) {
            return new Open("the arguments of model '" + text(m.ID()) + "'", m.LPAREN().getSymbol(), EffParser.RPAREN);
        }
        if (c instanceof EffParser.RepeatStageContext r && r.LPAREN() != null && r.RPAREN() == null) {
            return new Open("the repeat count", r.LPAREN().getSymbol(), EffParser.RPAREN);
        }
        if (c instanceof EffParser.ParenExprContext p && p.LPAREN() != null && p.RPAREN() == null) {
            return new Open("the parenthesis", p.LPAREN().getSymbol(), EffParser.RPAREN);
        }
        if (c instanceof EffParser.ListLitContext l && l.LBRACK() != null && l.RBRACK() == null) {
            return new Open("the list", l.LBRACK().getSymbol(), EffParser.RBRACK);
        }
        if (c instanceof EffParser.TensorTypeContext t && t.LBRACK() != null && t.RBRACK() == null) {
            return new Open("the shape", t.LBRACK().getSymbol(), EffParser.RBRACK);
        }
        if (c instanceof EffParser.BlockContext b && b.LBRACE() != null && b.RBRACE() == null) {
            ParserRuleContext parent = b.getParent();
            String what;
            if (parent instanceof EffParser.ModelDeclContext m) what = "the body of model '" + text(m.ID()) + "'";
            else if (parent instanceof EffParser.RepeatStageContext) what = "the 'repeat' block";
            else if (parent instanceof EffParser.ResidualStageContext) what = "the 'residual' block";
            else what = "the block";
            return new Open(what, b.LBRACE().getSymbol(), EffParser.RBRACE);
        }
        if (c instanceof EffParser.SettingsContext s && s.LBRACE() != null && s.RBRACE() == null) {
            String what = s.getParent() instanceof EffParser.TrainStmtContext ? "the settings of 'train'"
                    : "the settings of 'evaluate'";
            return new Open(what, s.LBRACE().getSymbol(), EffParser.RBRACE);
        }
        return null;
    }

    private static String text(org.antlr.v4.runtime.tree.TerminalNode n) {
        return n == null ? "?" : n.getText();
    }
}
