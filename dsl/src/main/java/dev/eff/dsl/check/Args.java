package dev.eff.dsl.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The bound arguments of one component call: every declared parameter has a value here. */
public record Args(Map<String, Value> values) {

    public Args {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Value get(String name) {
        Value v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no argument '" + name + "' in " + values.keySet());
        return v;
    }

    public boolean has(String name) { return values.containsKey(name); }

    public long integer(String name) {
        Value v = get(name);
        if (v instanceof Value.Int i) return i.value();
        if (v instanceof Value.Float f) return (long) f.value();
        throw new IllegalArgumentException(name + " is not a number");
    }

    public int i(String name) { return Math.toIntExact(integer(name)); }

    public double real(String name) {
        Value v = get(name);
        if (v instanceof Value.Int i) return i.value();
        if (v instanceof Value.Float f) return f.value();
        throw new IllegalArgumentException(name + " is not a number");
    }

    public boolean bool(String name) { return ((Value.Bool) get(name)).value(); }

    public String str(String name) { return ((Value.Str) get(name)).value(); }

    /** The chosen word of an enum parameter. */
    public String symbol(String name) { return ((Value.Symbol) get(name)).name(); }

    public Value.Call call(String name) { return (Value.Call) get(name); }

    public String ref(String name) { return ((Value.Ref) get(name)).name(); }

    public String render() {
        return values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue().render())
                .collect(Collectors.joining(", "));
    }
}
