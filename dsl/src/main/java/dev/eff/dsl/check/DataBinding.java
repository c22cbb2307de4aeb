package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;

/** A checked {@code data NAME = source(...)} declaration. */
public record DataBinding(String name, Span span, DataSpec spec, Args args, DataSchema schema) {}
