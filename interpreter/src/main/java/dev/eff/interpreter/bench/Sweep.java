package dev.eff.interpreter.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code --sweep NAME=v1,v2,...} of {@code eff bench}: a top-level constant and the values it takes, each given
 * as a {@code --set} value would be (a number, a bare word such as a component variant, a quoted string).
 */
public record Sweep(String name, List<String> values) {

    public Sweep {
        values = List.copyOf(values);
        if (values.isEmpty()) throw new IllegalArgumentException("a sweep needs at least one value");
    }

    /** Parses {@code NAME=v1,v2}; commas inside double quotes belong to the value. Null when malformed. */
    public static Sweep parse(String s) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) return null;
        List<String> values = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        boolean quoted = false;
        for (char c : s.substring(eq + 1).toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                values.add(v.toString().trim());
                v.setLength(0);
            } else {
                v.append(c);
            }
        }
        values.add(v.toString().trim());
        if (values.stream().anyMatch(String::isEmpty)) return null;
        return new Sweep(s.substring(0, eq).trim(), values);
    }

    /** Every combination of the sweeps' values, the last sweep varying fastest; one empty map for no sweep. */
    public static List<Map<String, String>> combinations(List<Sweep> sweeps) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Sweep s : sweeps) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> base : out) {
                for (String v : s.values()) {
                    Map<String, String> m = new LinkedHashMap<>(base);
                    m.put(s.name(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out.stream().map(java.util.Collections::unmodifiableMap).toList();
    }

    /** True when every value is a number (the sweep can be an axis of a log-log plot). */
    public boolean numeric() {
        return values.stream().allMatch(v -> v.matches("[0-9][0-9_]*(\\.[0-9]+)?([eE][+-]?[0-9]+)?"));
    }
}
