package dev.eff.dsl.check;

/** What a component is for; a call is looked up among the components of the kind its position expects. */
public enum Kind {
    LAYER("layer"),
    DATA("data source"),
    LOSS("loss"),
    OPTIMIZER("optimizer"),
    SCHEDULE("schedule"),
    METRIC("metric"),
    ROUTER("router"),
    OPTION("option"),
    /** Code a train statement runs after each step ({@code callbacks = [...]}): only script hooks are callbacks. */
    CALLBACK("callback"),
    /** When a cascade passes an example on to its larger model: {@code defer = confidence(threshold = 0.9)}. */
    DEFERRAL("deferral rule"),
    /** A statement that uses a model: {@code predict m on d.test { ... }}, {@code generate m { ... }}. */
    PROGRAM("program");

    private final String word;

    Kind(String word) { this.word = word; }

    public String word() { return word; }
}
