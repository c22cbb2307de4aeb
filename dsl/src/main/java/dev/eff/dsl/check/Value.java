package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A resolved argument value: constants are folded, names bound. {@link #render()} prints it back as
 * .eff source, so a fully resolved configuration is itself a valid script fragment.
 */
public sealed interface Value {

    String render();

    /** A short word for the value's type, used in messages ("expected int, got string"). */
    String typeName();

    record Int(long value) implements Value {
        public String render() { return Long.toString(value); }
        public String typeName() { return "int"; }
    }

    record Float(double value) implements Value {
        public String render() {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) return String.format(Locale.ROOT, "%.1f", value);
            return Double.toString(value).replace("E", "e");
        }
        public String typeName() { return "float"; }
    }

    record Str(String value) implements Value {
        public String render() { return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"'; }
        public String typeName() { return "string"; }
    }

    record Bool(boolean value) implements Value {
        public String render() { return Boolean.toString(value); }
        public String typeName() { return "bool"; }
    }

    record List_(List<Value> items) implements Value {
        public String render() { return items.stream().map(Value::render).collect(Collectors.joining(", ", "[", "]")); }
        public String typeName() { return "list"; }
    }

    /** A bare word such as {@code softmax}, {@code learned} or {@code cosine}: an enum choice or a variant. */
    record Symbol(String name) implements Value {
        public String render() { return name; }
        public String typeName() { return "name"; }
    }

    /** A reference to a named tensor value inside a model body ({@code add(h)}). */
    record Ref(String name) implements Value {
        public String render() { return name; }
        public String typeName() { return "value"; }
    }

    /**
     * A component call used as a value ({@code adamw(lr = 3e-4)}, {@code expertChoice(k = 2)}), with its
     * arguments bound by the checker: every parameter present, defaults filled in. {@code variant} is the
     * chosen variant word (null for a component without variants) and {@code spec} the component the
     * checker bound it to (null only for calls built by hand), so later stages need no second lookup.
     */
    record Call(String name, String variant, Map<String, Value> args, Span span, ComponentSpec spec) implements Value {
        public Call {
            args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
        public Call(String name, Map<String, Value> args, Span span) { this(name, null, args, span, null); }
        public Args asArgs() { return new Args(args); }
        public String render() {
            List<String> parts = new java.util.ArrayList<>();
            if (variant != null) parts.add(variant);
            args.forEach((k, v) -> parts.add(k + " = " + v.render()));
            return name + "(" + String.join(", ", parts) + ")";
        }
        public String typeName() { return name + "(...)"; }
        @Override public boolean equals(Object o) {
            return o instanceof Call c && c.name.equals(name) && java.util.Objects.equals(c.variant, variant)
                    && c.args.equals(args);
        }
        @Override public int hashCode() { return (name.hashCode() * 31 + java.util.Objects.hashCode(variant)) * 31 + args.hashCode(); }
    }

    /**
     * {@code aux.NAME} in a loss formula: the auxiliary loss {@code NAME} summed over every layer of the trained
     * model that emits it (see {@link SideOutput}). The checker creates it only for a name the model emits.
     */
    record Aux(String name, Span span) implements Value {
        public String render() { return "aux." + name; }
        public String typeName() { return "auxiliary loss"; }
        @Override public boolean equals(Object o) { return o instanceof Aux a && a.name.equals(name); }
        @Override public int hashCode() { return name.hashCode(); }
    }

    /** An arithmetic combination of calls, e.g. a loss {@code crossEntropy() + 0.01 * aux.balance}. */
    record Formula(String op, Value left, Value right) implements Value {
        public String render() { return "(" + left.render() + " " + op + " " + right.render() + ")"; }
        public String typeName() { return "formula"; }
    }
}
