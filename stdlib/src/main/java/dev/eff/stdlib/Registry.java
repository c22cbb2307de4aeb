package dev.eff.stdlib;

import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.ComponentSpec;
import dev.eff.dsl.check.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Every registered {@link Component}, found with {@link ServiceLoader} (components register themselves
 * with {@code @AutoService(Component.class)}). Loading the registry does not start ND4J.
 */
public final class Registry implements Catalog {

    private static final Registry STANDARD = new Registry(ServiceLoader.load(Component.class, Registry.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).map(c -> (Component) c).toList());

    private final Map<Kind, Map<String, List<Component>>> byKind = new LinkedHashMap<>();

    public Registry(Collection<? extends Component> components) {
        for (Component c : components) {
            var sig = c.signature();
            byKind.computeIfAbsent(sig.kind(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(sig.name(), n -> new ArrayList<>()).add(c);
        }
        for (var names : byKind.values()) {
            for (var family : names.values()) {
                family.sort(Comparator.comparing((Component c) -> !c.defaultVariant())
                        .thenComparing(c -> String.valueOf(c.signature().variant())));
            }
        }
    }

    /** The standard library as found on the class path. */
    public static Registry standard() { return STANDARD; }

    @Override
    public List<ComponentSpec> lookup(Kind kind, String name) {
        return List.copyOf(byKind.getOrDefault(kind, Map.of()).getOrDefault(name, List.of()));
    }

    @Override
    public Collection<String> names(Kind kind) {
        return new TreeSet<>(byKind.getOrDefault(kind, Map.of()).keySet());
    }

    /** Every component, grouped by kind then name, for the reference docs. */
    public List<Component> all() {
        List<Component> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (String n : names(k)) out.addAll(byKind.get(k).get(n));
        }
        return out;
    }

    /** The component of this kind, name and variant (null for none), or null. */
    public Component find(Kind kind, String name, String variant) {
        for (Component c : byKind.getOrDefault(kind, Map.of()).getOrDefault(name, List.of())) {
            if (java.util.Objects.equals(c.signature().variant(), variant)) return c;
        }
        return null;
    }
}
