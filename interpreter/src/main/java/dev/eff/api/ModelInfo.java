package dev.eff.api;

import dev.eff.dsl.check.ModelGraph;
import java.util.List;

/**
 * A model instance a checked script uses: its {@code name} as declared, its {@code instance} key (the name with the
 * arguments it is used with, e.g. {@code lm(layers = 4)}; statements naming the same instance share its weights), its
 * inputs and output per example, its parameter count and its FLOPs per example (forward pass).
 */
public record ModelInfo(String name, String instance, List<Field> inputs, Field output, long parameters, long flops) {

    public ModelInfo {
        inputs = List.copyOf(inputs);
    }

    static ModelInfo of(ModelGraph g) {
        return new ModelInfo(g.name(), g.instance(), g.inputs().stream().map(i -> Field.of(i.name(), i.shape())).toList(),
                Field.of("output", g.outputShape()), g.cost().params(), g.cost().flops());
    }
}
