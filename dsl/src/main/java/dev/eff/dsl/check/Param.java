package dev.eff.dsl.check;

/**
 * One declared parameter. {@code defaultValue} null means the parameter is required. {@code doc} goes
 * into the component reference and into hover text.
 */
public record Param(String name, Type type, Value defaultValue, String doc) {

    public boolean required() { return defaultValue == null; }

    public static Param required(String name, Type type, String doc) {
        return new Param(name, type, null, doc);
    }

    public static Param of(String name, Type type, Value defaultValue, String doc) {
        return new Param(name, type, defaultValue, doc);
    }

    public static Param of(String name, Type type, long defaultValue, String doc) {
        return new Param(name, type, new Value.Int(defaultValue), doc);
    }

    public static Param of(String name, Type type, double defaultValue, String doc) {
        return new Param(name, type, new Value.Float(defaultValue), doc);
    }

    public static Param of(String name, Type type, boolean defaultValue, String doc) {
        return new Param(name, type, new Value.Bool(defaultValue), doc);
    }

    /** An enum parameter whose default is its first option. */
    public static Param choice(String name, String doc, String... options) {
        return new Param(name, Type.choice(options), new Value.Symbol(options[0]), doc);
    }
}
