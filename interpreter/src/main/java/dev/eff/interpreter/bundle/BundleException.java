package dev.eff.interpreter.bundle;

/**
 * A bundle that cannot be read (missing, truncated, damaged, from a newer Eff) or weights that do not fit a model;
 * the message names the file and what is wrong, the hint (may be null) what to do.
 */
public final class BundleException extends Exception {
    private final String hint;

    public BundleException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() { return hint; }
}
