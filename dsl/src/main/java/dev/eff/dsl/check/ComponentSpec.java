package dev.eff.dsl.check;

/**
 * The front end's view of a component: what it accepts. The standard library adds the lowering; the
 * checker, {@code eff check} and {@code eff summary} need only this, so they never start ND4J.
 */
public interface ComponentSpec {
    Signature signature();

    /** For components with variants: whether this variant is the one chosen when none is written. */
    default boolean defaultVariant() { return false; }
}
