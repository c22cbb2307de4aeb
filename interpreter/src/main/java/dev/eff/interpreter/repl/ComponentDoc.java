package dev.eff.interpreter.repl;

import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.ComponentSpec;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.diag.Spelling;
import dev.eff.interpreter.run.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code :doc NAME}: a component's reference entry as plain text, from the same signatures as {@code eff doc}. */
final class ComponentDoc {
    private ComponentDoc() {}

    /**
     * Every component named {@code name} (of any kind, every variant), or one variant as {@code name(variant)};
     * "no component" with "did you mean" when there is none.
     */
    static String render(Catalog catalog, String name) {
        String variant = null;
        int paren = name.indexOf('(');
        if (paren > 0 && name.endsWith(")")) {
            variant = name.substring(paren + 1, name.length() - 1).strip();
            name = name.substring(0, paren).strip();
        }
        StringBuilder sb = new StringBuilder();
        for (Kind kind : Kind.values()) {
            for (ComponentSpec c : catalog.lookup(kind, name)) {
                Signature s = c.signature();
                if (variant == null || variant.equals(s.variant())) sb.append(entry(c, s));
            }
        }
        if (!sb.isEmpty()) return sb.toString();
        Set<String> names = new TreeSet<>();
        for (Kind kind : Kind.values()) names.addAll(catalog.names(kind));
        return variant != null && names.contains(name)
                ? "error: '" + name + "' has no variant '" + variant + "'\n  hint: :doc " + name + " shows all of them\n"
                : "error: no component '" + name + "'" + Spelling.didYouMean(name, names) + "\n  hint: components: " + Spelling.list(names) + "\n";
    }

    private static String entry(ComponentSpec c, Signature s) {
        StringBuilder sb = new StringBuilder(s.title()).append(" (").append(s.kind().word())
                .append(c.defaultVariant() ? ", default variant" : "").append(")\n  ").append(s.doc()).append('\n');
        if (s.params().isEmpty()) return sb.append("  no parameters\n\n").toString();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"parameter", "type", "default", "description"});
        for (Param p : s.params()) {
            rows.add(new String[] {p.name(), p.type().describe(), p.required() ? "required" : p.defaultValue().render(),
                    p.doc() == null ? "" : p.doc()});
        }
        Table.render(rows, rows.get(0).length).lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.append('\n').toString();
    }
}
