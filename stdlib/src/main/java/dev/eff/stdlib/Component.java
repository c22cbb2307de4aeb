package dev.eff.stdlib;

import dev.eff.dsl.check.ComponentSpec;

/**
 * Every standard-library component implements this and is registered with
 * {@code @AutoService(Component.class)}: adding a component is one new file (plus its tests).
 */
public interface Component extends ComponentSpec {}
