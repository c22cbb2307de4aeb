package dev.eff.interpreter.cli;

/**
 * slf4j-simple reads its levels from system properties when the first logger is made, so they are set
 * here, before ND4J starts: warnings only (info with --verbose), no ND4J start-up banner, and ND4J's known
 * harmless start-up warnings (duplicate TF op mappings, an unused label-smoothing property) hidden.
 * Settings given on the command line (-D...) win.
 */
final class Logging {
    private static boolean verbose;

    private Logging() {}

    static void configure(boolean beVerbose) {
        verbose = beVerbose;
        String prefix = "org.slf4j.simpleLogger.";
        setDefault(prefix + "defaultLogLevel", beVerbose ? "info" : "warn");
        setDefault(prefix + "logFile", "System.err");
        setDefault("org.nd4j.log.initialization", Boolean.toString(beVerbose));
        if (!beVerbose) {
            setDefault(prefix + "log.org.nd4j.imports.converters.ImportClassMapping", "error");
            setDefault(prefix + "log.org.nd4j.autodiff.functions.DifferentialFunction", "error");
        }
    }

    static boolean verbose() { return verbose; }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
