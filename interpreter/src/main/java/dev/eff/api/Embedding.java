package dev.eff.api;

import dev.eff.accelerators.Backend;

/**
 * What embedding Eff sets up in the host's JVM, once, before ND4J starts: the native build for this CPU
 * ({@link Backend}), no ND4J start-up banner, and, for slf4j-simple (the binding Eff ships with), ND4J's and
 * JavaCPP's loggers at warnings unless the host configured them. The host's own loggers are left alone: only
 * properties of those libraries are set, and only when unset. ND4J also prints to {@code System.out} while it builds
 * a gradient function; Eff swaps {@code System.out} for a sink during that call only (see
 * {@code dev.eff.interpreter.compile.Quiet}).
 */
final class Embedding {
    private static final String[] LIBRARIES = {"org.nd4j", "org.deeplearning4j", "org.bytedeco", "org.eclipse.deeplearning4j"};

    private static boolean prepared;

    private Embedding() {}

    static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        setDefault("org.nd4j.log.initialization", "false");
        for (String library : LIBRARIES) setDefault("org.slf4j.simpleLogger.log." + library, "warn");
        // Harmless start-up warnings ND4J logs on every start (duplicate op mappings, an unused loss property).
        setDefault("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");
        setDefault("org.slf4j.simpleLogger.log.org.nd4j.autodiff.functions.DifferentialFunction", "error");
        Backend.configure();
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
