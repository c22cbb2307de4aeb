package dev.eff.dsl.check;

import java.util.Collection;
import java.util.List;

/** Every component the checker may bind a call to. The standard library's registry implements it. */
public interface Catalog {

    /** The components of this kind and name: one per variant, or a single one with no variant; empty if unknown. */
    List<ComponentSpec> lookup(Kind kind, String name);

    /** All names of a kind, for "did you mean" and the reference. */
    Collection<String> names(Kind kind);
}
