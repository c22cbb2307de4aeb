package dev.eff.dsl.check;

import dev.eff.dsl.source.Span;
import java.util.List;

/**
 * A model instantiated with concrete arguments and input shapes, checked and flattened: its inputs (value
 * ids equal to their names; when the model is bound to data, in the order of the data's inputs, so data
 * input i feeds model input i), its nodes in order, and the id of its output value.
 */
public record ModelGraph(String name, Span span, Args params, List<Input> inputs, List<Node> nodes, String output,
                         Shape outputShape) {

    public ModelGraph {
        inputs = List.copyOf(inputs);
        nodes = List.copyOf(nodes);
    }

    public record Input(String name, Shape shape) {}

    public Cost cost() {
        Cost total = Cost.FREE;
        for (Node n : nodes) {
            if (n instanceof Node.Apply a) total = total.plus(a.cost());
            else if (n instanceof Node.Residual r) total = total.plus(Cost.of(0, r.flops()));
        }
        return total;
    }

    /** {@code lm(layers = 2)}: the instance key; two statements with the same key share weights. */
    public String instance() {
        return params.values().isEmpty() ? name : name + "(" + params.render() + ")";
    }
}
