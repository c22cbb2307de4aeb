package dev.eff.dsl.resolve;

import dev.eff.dsl.check.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Named constant values visible to an expression: top-level constants, then a model's parameters. */
public final class Scope {
    public static final Scope EMPTY = new Scope(null, Map.of());

    private final Scope parent;
    private final Map<String, Value> values;

    private Scope(Scope parent, Map<String, Value> values) {
        this.parent = parent;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Scope of(Map<String, Value> values) { return new Scope(null, values); }

    /** A scope whose names shadow this one's. */
    public Scope child(Map<String, Value> inner) { return new Scope(this, inner); }

    /** The value bound to {@code name}, or null. */
    public Value lookup(String name) {
        Value v = values.get(name);
        if (v != null) return v;
        return parent == null ? null : parent.lookup(name);
    }

    /** Every visible name, for "did you mean". */
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>(values.keySet());
        if (parent != null) out.addAll(parent.names());
        return out;
    }
}
