package dev.eff.dsl.check;

/**
 * Thrown by a shape rule that cannot accept its input; the checker reports it at the call's position.
 * It never escapes the checker.
 */
public final class ShapeException extends Exception {
    private final String hint;

    public ShapeException(String message) { this(message, null); }

    public ShapeException(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    public String hint() { return hint; }
}
