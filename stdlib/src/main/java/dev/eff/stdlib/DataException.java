package dev.eff.stdlib;

/** A data source that cannot be read: the message names the path, the hint what to do about it. */
public final class DataException extends Exception {
    private final String hint;

    public DataException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() { return hint; }
}
