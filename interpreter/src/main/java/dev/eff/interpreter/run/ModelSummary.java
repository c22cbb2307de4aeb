package dev.eff.interpreter.run;

import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Keras-like table of {@code eff summary}: one row per input and per node with its output shape,
 * parameters and forward FLOPs per example, then the totals. Works from the checked graph alone (no ND4J).
 */
public final class ModelSummary {
    private ModelSummary() {}

    public static String render(ModelGraph g) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"path", "component", "output", "params", "FLOPs/example"});
        for (ModelGraph.Input in : g.inputs()) rows.add(new String[] {in.name(), "input", in.shape().describe(), "0", "0"});
        for (Node n : g.nodes()) {
            if (n instanceof Node.Apply a) {
                rows.add(new String[] {a.path(), a.spec().signature().title(), a.outputShape().describe(),
                        count(a.cost().params()), flops(a.cost().flops())});
            } else if (n instanceof Node.Residual r) {
                rows.add(new String[] {r.path(), "residual add", r.outputShape().describe(), "0", flops(elements(r))});
            }
        }
        Cost c = g.cost();
        StringBuilder sb = new StringBuilder();
        sb.append("model ").append(g.instance()).append('\n');
        sb.append(Table.render(rows, 3));
        sb.append("parameters: ").append(count(c.params()));
        if (c.activeParams() != c.params()) sb.append(" (").append(count(c.activeParams())).append(" active per token)");
        sb.append("\nforward FLOPs per example: ").append(flops(c.flops())).append('\n');
        return sb.toString();
    }

    private static long elements(Node.Residual r) {
        try {
            return r.outputShape().exampleElements();
        } catch (ShapeException e) {
            return 0;
        }
    }

    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    static String flops(long f) {
        String[] units = {"", " k", " M", " G", " T"};
        double v = f;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? Long.toString(f) : String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }
}
