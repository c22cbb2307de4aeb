package dev.eff.api;

import java.nio.file.Path;

/**
 * The entry point of Eff's Java API. Compile a script, look at its diagnostics, run it, predict with its models:
 *
 * <pre>{@code
 * Script script = Eff.compile(Path.of("iris.eff"));
 * if (!script.ok()) { System.err.print(script.render()); return; }
 * Results results = script.run();
 * int[] species = results.model("classifier").classify(new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}});
 * }</pre>
 *
 * Constants and arrays from Java go through {@link #with()}. Compiling never throws for a mistake in the script: the
 * mistakes are {@link Script#diagnostics()}. Embedding Eff prints nothing; what it sets up in the JVM is listed in
 * {@link Inputs}.
 */
public final class Eff {
    private Eff() {}

    /** The Eff release. */
    public static final String VERSION = dev.eff.interpreter.run.Eff.VERSION;

    /** Checks the script in {@code file} (its imports and data paths resolve against its folder). */
    public static Script compile(Path file) { return with().compile(file); }

    /** Checks script text reported as {@code name}; imports and data paths resolve against the working directory. */
    public static Script compile(String name, String text) { return with().compile(name, text); }

    /**
     * Reads a model saved as a bundle, for prediction without its script.
     *
     * @throws EffException when the file is missing, damaged, truncated, no bundle, or from a newer Eff
     */
    public static SavedModel load(Path bundle) throws EffException { return SavedModel.read(bundle); }

    /** No constants or arrays yet: add them, then compile. */
    public static Inputs with() { return Inputs.NONE; }
}
