package dev.eff.dsl.resolve;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Constant folding. Integer arithmetic stays exact and reports overflow; {@code /} of two ints is an int
 * when it divides exactly and a float otherwise; {@code %} follows the sign of the divisor (as in Python);
 * a float result that overflows to infinity is an error. A bare word that names nothing folds to a
 * {@link Value.Symbol}, because in some places (a choice, a variant, a component) a bare word is a value;
 * arithmetic on such a word is reported as an unknown name.
 */
public final class Folder {
    private final Reporter report;

    public Folder(Reporter report) { this.report = report; }

    /** The folded value, or null when an error was reported. */
    public Value fold(Expr e, Scope scope) {
        if (e instanceof Expr.IntLit i) return new Value.Int(i.value());
        if (e instanceof Expr.FloatLit f) return new Value.Float(f.value());
        if (e instanceof Expr.StrLit s) return new Value.Str(s.value());
        if (e instanceof Expr.BoolLit b) return new Value.Bool(b.value());
        if (e instanceof Expr.ListLit l) {
            List<Value> items = new ArrayList<>();
            boolean ok = true;
            for (Expr item : l.items()) {
                Value v = fold(item, scope);
                if (v == null) ok = false;
                else items.add(v);
            }
            return ok ? new Value.List_(items) : null;
        }
        if (e instanceof Expr.Name n) {
            Value v = n.path().size() == 1 ? scope.lookup(n.dotted()) : null;
            return v != null ? v : new Value.Symbol(n.dotted());
        }
        if (e instanceof Expr.Call c) {
            report.error(c.span(), "a call to '" + c.name().text() + "' is not allowed here",
                    "only numbers, strings, bools, lists and names of constants can be computed with");
            return null;
        }
        if (e instanceof Expr.Neg n) {
            Value v = number(n.operand(), scope, "-");
            if (v == null) return null;
            if (v instanceof Value.Int i) {
                if (i.value() == Long.MIN_VALUE) return overflow(n.span());
                return new Value.Int(-i.value());
            }
            return new Value.Float(-((Value.Float) v).value());
        }
        Expr.Binary b = (Expr.Binary) e;
        Value l = number(b.left(), scope, b.op().symbol);
        Value r = number(b.right(), scope, b.op().symbol);
        if (l == null || r == null) return null;
        if (l instanceof Value.Int a && r instanceof Value.Int c) return ints(b, a.value(), c.value());
        return floats(b, real(l), real(r));
    }

    /** True when {@code e} is a bare word that names no constant: the caller decides what a word means. */
    public static boolean isFreeWord(Expr e, Scope scope) {
        return e instanceof Expr.Name n && (n.path().size() > 1 || scope.lookup(n.dotted()) == null);
    }

    /** The "unknown name" error for a free word used where a value is needed. */
    public void unknownName(Expr.Name n, Scope scope, String hint) {
        report.error(n.span(), "unknown name '" + n.dotted() + "'" + Spelling.didYouMean(n.dotted(), scope.names()), hint);
    }

    private Value number(Expr e, Scope scope, String op) {
        if (isFreeWord(e, scope)) {
            unknownName((Expr.Name) e, scope, null);
            return null;
        }
        Value v = fold(e, scope);
        if (v == null || v instanceof Value.Int || v instanceof Value.Float) return v;
        report.error(e.span(), "'" + op + "' needs numbers, but '" + e.span().text() + "' is a " + v.typeName(), null);
        return null;
    }

    private static double real(Value v) {
        return v instanceof Value.Int i ? i.value() : ((Value.Float) v).value();
    }

    private Value ints(Expr.Binary b, long x, long y) {
        try {
            return switch (b.op()) {
                case ADD -> new Value.Int(Math.addExact(x, y));
                case SUB -> new Value.Int(Math.subtractExact(x, y));
                case MUL -> new Value.Int(Math.multiplyExact(x, y));
                case DIV -> {
                    if (y == 0) yield divisionByZero(b);
                    if (x == Long.MIN_VALUE && y == -1) throw new ArithmeticException("overflow");
                    if (x % y == 0) yield new Value.Int(x / y);
                    yield new Value.Float((double) x / y);
                }
                case MOD -> y == 0 ? divisionByZero(b) : new Value.Int(Math.floorMod(x, y));
                case POW -> y < 0 ? floats(b, x, y) : new Value.Int(power(x, y));
            };
        } catch (ArithmeticException overflow) {
            return overflow(b.span());
        }
    }

    private static long power(long base, long exp) {
        long result = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) == 1) result = Math.multiplyExact(result, b);
            e >>= 1;
            if (e > 0) b = Math.multiplyExact(b, b);
        }
        return result;
    }

    private Value floats(Expr.Binary b, double x, double y) {
        if ((b.op() == Expr.BinOp.DIV || b.op() == Expr.BinOp.MOD) && y == 0) return divisionByZero(b);
        double v = switch (b.op()) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MOD -> x - Math.floor(x / y) * y;
            case POW -> Math.pow(x, y);
        };
        if (Double.isInfinite(v)) {
            report.error(b.span(), "'" + b.span().text() + "' overflows to infinity", "the largest float is about 1.8e308");
            return null;
        }
        if (Double.isNaN(v)) {
            report.error(b.span(), "'" + b.span().text() + "' is not a number (NaN)", null);
            return null;
        }
        return new Value.Float(v);
    }

    private Value divisionByZero(Expr.Binary b) {
        report.error(b.right().span(), "division by zero in '" + b.span().text() + "'", null);
        return null;
    }

    private Value overflow(Span span) {
        report.error(span, "integer overflow in '" + span.text() + "'",
                "the result does not fit in 64 bits; write one operand as a float (e.g. 2.0) to compute in floating point");
        return null;
    }
}
