package dev.eff.interpreter.run;

import dev.eff.dsl.check.DataBinding;

/** The blobs data binding of {@link RunnerTest}, for runtime tests in other packages. */
public final class RunnerTestAccess {
    private RunnerTestAccess() {}

    public static final DataBinding BLOBS = RunnerTest.BLOBS;
}
