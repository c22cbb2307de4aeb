package dev.eff.dsl.ast;

import dev.eff.dsl.source.Source;
import java.util.List;

/** One parsed script. The ANTLR parse tree never escapes the parser: this is what later stages see. */
public record Program(Source source, List<Stmt> statements) {}
