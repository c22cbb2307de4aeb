package dev.eff.dsl.ast;

import dev.eff.dsl.source.Span;
import java.util.List;

/** Top-level statements of a script. */
public sealed interface Stmt {
    Span span();

    record Import(Span span, String path, Span pathSpan) implements Stmt {}
    record Let(Span span, Ident name, Expr value) implements Stmt {}
    record DataDecl(Span span, Ident name, Expr.Call source) implements Stmt {}
    record ModelDecl(Span span, Ident name, List<ModelParam> params, List<Body> body) implements Stmt {}
    /**
     * {@code hook focal: loss = groovy """ ... """}: code in {@code language}, inline (a triple-quoted string) or in the
     * file a plain string names; {@code kind} is null when not written (a loss).
     */
    record Hook(Span span, Ident name, Ident kind, Ident language, Expr.StrLit code) implements Stmt {}
    record Train(Span span, ModelRef model, DataRef data, List<Setting> settings) implements Stmt {}
    record Evaluate(Span span, ModelRef model, DataRef data, List<Setting> settings) implements Stmt {}
    /** {@code predict m on d.test { to = "p.csv" }}: a program component named {@code program}; {@code data} may be null. */
    record RunProgram(Span span, Ident program, ModelRef model, DataRef data, List<Setting> settings) implements Stmt {}

    record ModelParam(Span span, Ident name, Expr defaultValue) {}
    /** {@code lm} or {@code lm(layers = 2)}. */
    record ModelRef(Span span, Ident name, List<Expr.Arg> args) {}
    /** {@code recall} or {@code recall.test}; {@code split} is null when not given. */
    record DataRef(Span span, Ident name, Ident split) {}
    /** {@code key = value}, or a bare {@code value} (metrics in evaluate); {@code key} null when bare. */
    record Setting(Span span, Ident key, Expr value) {}
}
