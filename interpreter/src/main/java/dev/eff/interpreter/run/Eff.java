package dev.eff.interpreter.run;

/** The Eff release this interpreter belongs to. */
public final class Eff {
    private Eff() {}

    public static final String VERSION = "0.1.0";
}
