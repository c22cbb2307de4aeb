package dev.eff.dsl.parse;

import dev.eff.dsl.ast.Body;
import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Ident;
import dev.eff.dsl.ast.Program;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.source.Span;
import dev.eff.grammar.EffParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns the ANTLR parse tree into the immutable AST. A top-level statement whose subtree holds a syntax
 * error is left out, so later stages only ever see complete nodes. Literals are decoded here; one that
 * does not fit (an integer beyond 64 bits, a float that overflows to infinity, a bad escape) is reported.
 */
final class AstBuilder {
    private final Offsets offsets;
    private final SyntaxErrors errors;

    AstBuilder(Offsets offsets, SyntaxErrors errors) {
        this.offsets = offsets;
        this.errors = errors;
    }

    Program program(EffParser.ProgramContext ctx) {
        List<Stmt> out = new ArrayList<>();
        for (EffParser.TopStmtContext t : ctx.topStmt()) {
            if (hasError(t)) continue;
            out.add(stmt(t));
        }
        return new Program(offsets.source(), out);
    }

    static boolean hasError(ParseTree t) {
        if (t instanceof ErrorNode) return true;
        if (t instanceof TerminalNode term) return term.getSymbol().getTokenIndex() < 0;
        if (t instanceof ParserRuleContext c && c.exception != null) return true;
        for (int i = 0; i < t.getChildCount(); i++) if (hasError(t.getChild(i))) return true;
        return false;
    }

    private Stmt stmt(EffParser.TopStmtContext t) {
        if (t.importStmt() != null) {
            Token s = t.importStmt().STRING().getSymbol();
            return new Stmt.Import(span(t), string(s), offsets.of(s));
        }
        if (t.letStmt() != null) return new Stmt.Let(span(t), ident(t.letStmt().ID()), expr(t.letStmt().expr()));
        if (t.dataStmt() != null) return new Stmt.DataDecl(span(t), ident(t.dataStmt().ID()), call(t.dataStmt().call()));
        if (t.modelDecl() != null) {
            EffParser.ModelDeclContext m = t.modelDecl();
            List<Stmt.ModelParam> params = m.modelParam().stream()
                    .map(p -> new Stmt.ModelParam(span(p), ident(p.ID()), expr(p.expr()))).toList();
            return new Stmt.ModelDecl(span(t), ident(m.ID()), params, block(m.block()));
        }
        if (t.hookStmt() != null) {
            EffParser.HookStmtContext h = t.hookStmt();
            Token code = h.STRING().getSymbol();
            return new Stmt.Hook(span(t), ident(h.ID(0)), h.COLON() == null ? null : ident(h.ID(1)),
                    ident(h.ID(h.ID().size() - 1)), new Expr.StrLit(offsets.of(code), string(code)));
        }
        if (t.trainStmt() != null) {
            EffParser.TrainStmtContext s = t.trainStmt();
            return new Stmt.Train(span(t), modelRef(s.modelRef()), dataRef(s.dataRef()), settings(s.settings()));
        }
        if (t.programStmt() != null) {
            EffParser.ProgramStmtContext p = t.programStmt();
            return new Stmt.RunProgram(span(t), ident(p.ID()), modelRef(p.modelRef()),
                    p.dataRef() == null ? null : dataRef(p.dataRef()), p.settings() == null ? List.of() : settings(p.settings()));
        }
        EffParser.EvaluateStmtContext s = t.evaluateStmt();
        return new Stmt.Evaluate(span(t), modelRef(s.modelRef()), dataRef(s.dataRef()),
                s.settings() == null ? List.of() : settings(s.settings()));
    }

    private Stmt.ModelRef modelRef(EffParser.ModelRefContext c) {
        return new Stmt.ModelRef(span(c), ident(c.ID()), c.args() == null ? List.of() : args(c.args()));
    }

    private Stmt.DataRef dataRef(EffParser.DataRefContext c) {
        return new Stmt.DataRef(span(c), ident(c.ID()), c.word() == null ? null : word(c.word()));
    }

    private List<Stmt.Setting> settings(EffParser.SettingsContext c) {
        List<Stmt.Setting> out = new ArrayList<>();
        for (EffParser.SettingContext s : c.setting()) {
            if (s instanceof EffParser.AssignSettingContext a) {
                out.add(new Stmt.Setting(span(a), ident(a.ID()), expr(a.expr())));
            } else {
                EffParser.BareSettingContext b = (EffParser.BareSettingContext) s;
                out.add(new Stmt.Setting(span(b), null, expr(b.expr())));
            }
        }
        return out;
    }

    private List<Body> block(EffParser.BlockContext c) {
        List<Body> out = new ArrayList<>();
        for (EffParser.BodyStmtContext b : c.bodyStmt()) out.add(body(b));
        return out;
    }

    private Body body(EffParser.BodyStmtContext b) {
        if (b instanceof EffParser.InputDeclContext i) {
            EffParser.TensorTypeContext t = i.tensorType();
            Body.TensorType type = new Body.TensorType(span(t), ident(t.ID()), t.expr().stream().map(this::expr).toList());
            return new Body.Input(span(i), ident(i.ID()), type);
        }
        if (b instanceof EffParser.ValueDeclContext v) return new Body.Value(span(v), ident(v.ID()), flow(v.flow()));
        EffParser.FlowStmtContext f = (EffParser.FlowStmtContext) b;
        return new Body.FlowStmt(span(f), flow(f.flow()));
    }

    private Body.Flow flow(EffParser.FlowContext c) {
        return new Body.Flow(span(c), c.stage().stream().map(this::stage).toList());
    }

    private Body.Stage stage(EffParser.StageContext c) {
        if (c instanceof EffParser.RepeatStageContext r) return new Body.Repeat(span(r), expr(r.expr()), block(r.block()));
        if (c instanceof EffParser.ResidualStageContext r) return new Body.Residual(span(r), block(r.block()));
        if (c instanceof EffParser.CallStageContext s) return new Body.CallStage(span(s), call(s.call()));
        return new Body.RefStage(span(c), ident(((EffParser.RefStageContext) c).ID()));
    }

    private Expr.Call call(EffParser.CallContext c) {
        return new Expr.Call(span(c), ident(c.ID()), c.args() == null ? List.of() : args(c.args()));
    }

    private List<Expr.Arg> args(EffParser.ArgsContext c) {
        List<Expr.Arg> out = new ArrayList<>();
        for (EffParser.ArgContext a : c.arg()) {
            if (a instanceof EffParser.NamedArgContext n) out.add(new Expr.Arg(span(n), word(n.word()), expr(n.expr())));
            else out.add(new Expr.Arg(span(a), null, expr(((EffParser.PositionalArgContext) a).expr())));
        }
        return out;
    }

    Expr expr(EffParser.ExprContext c) {
        if (c instanceof EffParser.PowExprContext p) {
            return new Expr.Binary(span(p), Expr.BinOp.POW, expr(p.expr(0)), expr(p.expr(1)));
        }
        if (c instanceof EffParser.NegExprContext n) return new Expr.Neg(span(n), expr(n.expr()));
        if (c instanceof EffParser.MulExprContext m) {
            Expr.BinOp op = switch (m.op.getType()) {
                case EffParser.STAR -> Expr.BinOp.MUL;
                case EffParser.SLASH -> Expr.BinOp.DIV;
                default -> Expr.BinOp.MOD;
            };
            return new Expr.Binary(span(m), op, expr(m.expr(0)), expr(m.expr(1)));
        }
        if (c instanceof EffParser.AddExprContext a) {
            Expr.BinOp op = a.op.getType() == EffParser.PLUS ? Expr.BinOp.ADD : Expr.BinOp.SUB;
            return new Expr.Binary(span(a), op, expr(a.expr(0)), expr(a.expr(1)));
        }
        return primary(((EffParser.PrimaryExprContext) c).primary());
    }

    private Expr primary(EffParser.PrimaryContext c) {
        Span span = span(c);
        if (c instanceof EffParser.IntLitContext i) return new Expr.IntLit(span, integer(i.INT().getSymbol()));
        if (c instanceof EffParser.FloatLitContext f) return new Expr.FloatLit(span, real(f.FLOAT().getSymbol()));
        if (c instanceof EffParser.StringLitContext s) return new Expr.StrLit(span, string(s.STRING().getSymbol()));
        if (c instanceof EffParser.BoolLitContext b) return new Expr.BoolLit(span, b.TRUE() != null);
        if (c instanceof EffParser.ListLitContext l) return new Expr.ListLit(span, l.expr().stream().map(this::expr).toList());
        if (c instanceof EffParser.CallExprContext call) return call(call.call());
        if (c instanceof EffParser.NameExprContext n) return new Expr.Name(span, n.ID().stream().map(this::ident).toList());
        return expr(((EffParser.ParenExprContext) c).expr());
    }

    private long integer(Token t) {
        String digits = t.getText().replace("_", "");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            errors.error(offsets.of(t), "integer " + t.getText() + " is too large (the largest is " + Long.MAX_VALUE + ")",
                    "write it as a float, e.g. " + digits.charAt(0) + "." + digits.substring(1, Math.min(4, digits.length()))
                            + "e" + (digits.length() - 1));
            return 0;
        }
    }

    private double real(Token t) {
        double v = Double.parseDouble(t.getText().replace("_", ""));
        if (Double.isInfinite(v)) {
            errors.error(offsets.of(t), "number " + t.getText() + " is too large: it overflows a float to infinity",
                    "the largest float is about 1.8e308");
        }
        return v;
    }

    private String string(Token t) {
        String text = t.getText();
        if (text.startsWith("\"\"\"") && text.length() >= 6) return text.substring(3, text.length() - 3);
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < text.length() - 1; i++) {
            char ch = text.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case '"' -> out.append('"');
                default -> {
                    int at = offsets.of(t).start() + i - 1;
                    errors.error(new Span(offsets.source(), at, at + 2), "unknown escape '\\" + next + "' in a string",
                            "known escapes are \\n, \\t, \\r, \\\\ and \\\"");
                    out.append(next);
                }
            }
        }
        return out.toString();
    }

    private Ident ident(TerminalNode n) {
        return new Ident(offsets.of(n.getSymbol()), n.getText());
    }

    private Ident word(EffParser.WordContext w) {
        return new Ident(span(w), w.getText());
    }

    private Span span(ParserRuleContext c) {
        Token stop = c.getStop() == null || c.getStop().getTokenIndex() < c.getStart().getTokenIndex() ? c.getStart() : c.getStop();
        return offsets.of(c.getStart(), stop);
    }
}
