package dev.eff.dsl.check;

import java.util.List;
import java.util.Optional;

/**
 * What a component accepts. Components of one {@code name} may come in variants
 * ({@code attention(softmax)}, {@code attention(performer)}): each variant is its own component with its
 * own signature; {@code variant} is null for a component without variants. Positional arguments bind to
 * {@code params} in order, after the variant word.
 */
public record Signature(Kind kind, String name, String variant, String doc, List<Param> params) {

    public Signature {
        params = List.copyOf(params);
    }

    public Optional<Param> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** {@code attention(softmax)} or {@code dense}. */
    public String title() {
        return variant == null ? name : name + "(" + variant + ")";
    }
}
