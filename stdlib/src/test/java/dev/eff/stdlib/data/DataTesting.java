package dev.eff.stdlib.data;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds arguments the way the checker does: every declared parameter, defaults filled in. */
final class DataTesting {

    private DataTesting() {}

    static Args args(Component c, Object... namesAndValues) {
        Map<String, Value> given = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) given.put((String) namesAndValues[i], value(namesAndValues[i + 1]));
        Map<String, Value> bound = new LinkedHashMap<>();
        for (Param p : c.signature().params()) {
            Value v = given.containsKey(p.name()) ? given.remove(p.name()) : p.defaultValue();
            if (v == null) throw new IllegalArgumentException("required argument " + p.name() + " missing");
            bound.put(p.name(), v);
        }
        if (!given.isEmpty()) throw new IllegalArgumentException("unknown arguments " + given.keySet());
        return new Args(bound);
    }

    static Value value(Object o) {
        if (o instanceof Value v) return v;
        if (o instanceof Integer i) return new Value.Int(i);
        if (o instanceof Long l) return new Value.Int(l);
        if (o instanceof Double d) return new Value.Float(d);
        if (o instanceof Boolean b) return new Value.Bool(b);
        if (o instanceof String s) return new Value.Str(s);
        if (o instanceof List<?> l) return new Value.List_(l.stream().map(DataTesting::value).toList());
        throw new IllegalArgumentException("no value for " + o);
    }
}
