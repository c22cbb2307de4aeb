package dev.eff.dsl.ast;

import dev.eff.dsl.source.Span;
import java.util.List;

/** Expressions: literals, names, calls and arithmetic. Constant parts are folded by the resolver. */
public sealed interface Expr {
    Span span();

    record IntLit(Span span, long value) implements Expr {}
    record FloatLit(Span span, double value) implements Expr {}
    record StrLit(Span span, String value) implements Expr {}
    record BoolLit(Span span, boolean value) implements Expr {}
    record ListLit(Span span, List<Expr> items) implements Expr {}
    /** {@code x} or a dotted path {@code aux.balance}. */
    record Name(Span span, List<Ident> path) implements Expr {
        public String dotted() { return String.join(".", path.stream().map(Ident::text).toList()); }
    }
    record Call(Span span, Ident name, List<Arg> args) implements Expr {}
    record Binary(Span span, BinOp op, Expr left, Expr right) implements Expr {}
    record Neg(Span span, Expr operand) implements Expr {}

    enum BinOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("**");
        public final String symbol;
        BinOp(String symbol) { this.symbol = symbol; }
    }

    /** A call argument; {@code name} is null for a positional argument. */
    record Arg(Span span, Ident name, Expr value) {
        public boolean positional() { return name == null; }
    }
}
