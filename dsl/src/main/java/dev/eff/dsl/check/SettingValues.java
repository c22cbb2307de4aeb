package dev.eff.dsl.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds settings given outside a script (command-line options) to a signature: each value must be one its parameter's
 * type and range accept, as in a script; missing ones take their defaults.
 */
public final class SettingValues {
    private SettingValues() {}

    /** The bound settings, or an {@link IllegalArgumentException} naming the first one out of its type or range. */
    public static Args bind(Signature sig, Map<String, Value> given) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Param p : sig.params()) {
            Value v = given.get(p.name());
            if (v == null) {
                if (p.required()) throw new IllegalArgumentException(p.name() + " is required");
                out.put(p.name(), p.defaultValue());
                continue;
            }
            if (!accepts(p.type(), v)) {
                throw new IllegalArgumentException(p.name() + " must be " + p.type().describe() + ", got " + v.render());
            }
            out.put(p.name(), p.type() instanceof Type.Real && v instanceof Value.Int i ? new Value.Float(i.value()) : v);
        }
        for (String name : given.keySet()) {
            if (sig.param(name).isEmpty()) throw new IllegalArgumentException(sig.name() + " has no setting '" + name + "'");
        }
        return new Args(out);
    }

    static boolean accepts(Type type, Value v) {
        if (type instanceof Type.Int t) return v instanceof Value.Int i && i.value() >= t.min() && i.value() <= t.max();
        if (type instanceof Type.Real r) {
            double d = v instanceof Value.Int i ? i.value() : v instanceof Value.Float f ? f.value() : Double.NaN;
            return !Double.isNaN(d) && (r.minExclusive() ? d > r.min() : d >= r.min()) && d <= r.max();
        }
        if (type instanceof Type.Bool) return v instanceof Value.Bool;
        if (type instanceof Type.Str) return v instanceof Value.Str;
        return false;
    }
}
