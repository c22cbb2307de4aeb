package dev.eff.dsl.ast;

import dev.eff.dsl.source.Span;

/** A name as written, with where it was written. */
public record Ident(Span span, String text) {}
