package dev.eff.dsl.ast;

import dev.eff.dsl.source.Span;
import java.util.List;

/**
 * Statements in a model body. A model body threads a <em>stream</em>: each stage of a flow takes the
 * current stream and produces the next. {@code let v = flow} names a value without changing the stream
 * ({@code v} can then be passed to a component, e.g. {@code add(v)}, or restart a flow, {@code v |> ...}).
 */
public sealed interface Body {
    Span span();

    /** {@code input tokens: int[128]}: a named model input with its per-example shape. */
    record Input(Span span, Ident name, TensorType type) implements Body {}
    /** {@code let h = flow}. */
    record Value(Span span, Ident name, Flow flow) implements Body {}
    /** A flow whose result becomes the stream. */
    record FlowStmt(Span span, Flow flow) implements Body {}

    record Flow(Span span, List<Stage> stages) {}

    /** {@code float[1, 28, 28]}: element type and per-example dimensions. */
    record TensorType(Span span, Ident dtype, List<Expr> dims) {}

    sealed interface Stage {
        Span span();
    }
    record CallStage(Span span, Expr.Call call) implements Stage {}
    record RefStage(Span span, Ident name) implements Stage {}
    record Repeat(Span span, Expr count, List<Body> body) implements Stage {}
    record Residual(Span span, List<Body> body) implements Stage {}
}
