package dev.eff.interpreter.run;

import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Keras-like table of {@code eff summary}: one row per input and per node with its output shape,
 * parameters and forward FLOPs per example, then the totals. Works from the checked graph alone (no ND4J).
 * A model with sparse layers (mixtures of experts) also gets the parameters active per token and, for
 * sequence inputs, FLOPs per token, per row and in the totals.
 */
public final class ModelSummary {
    private ModelSummary() {}

    public static String render(ModelGraph g) {
        Cost c = g.cost();
        boolean sparse = g.nodes().stream().anyMatch(n -> n instanceof Node.Apply a && a.cost().activeParams() != a.cost().params());
        long tokens = sparse ? tokensPerExample(g) : 0;
        List<String[]> rows = new ArrayList<>();
        rows.add(row(sparse, tokens, "path", "component", "output", "params", "active/token", "FLOPs/example", "FLOPs/token"));
        for (ModelGraph.Input in : g.inputs()) rows.add(row(sparse, tokens, in.name(), "input", in.shape().describe(), "0", "0", "0", "0"));
        for (Node n : g.nodes()) {
            if (n instanceof Node.Apply a) {
                Cost k = a.cost();
                rows.add(row(sparse, tokens, a.path(), a.spec().signature().title(), a.outputShape().describe(),
                        count(k.params()), count(k.activeParams()), flops(k.flops()), perToken(k.flops(), tokens)));
            } else if (n instanceof Node.Residual r) {
                rows.add(row(sparse, tokens, r.path(), "residual add", r.outputShape().describe(), "0", "0",
                        flops(r.flops()), perToken(r.flops(), tokens)));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("model ").append(g.instance()).append('\n');
        sb.append(Table.render(rows, 3));
        sb.append("parameters: ").append(count(c.params()));
        if (c.activeParams() != c.params()) sb.append(" (").append(count(c.activeParams())).append(" active per token)");
        sb.append("\nforward FLOPs per example: ").append(flops(c.flops()));
        if (tokens > 0) sb.append(" (").append(perToken(c.flops(), tokens)).append(" per token, ").append(tokens).append(" tokens)");
        DecoderStack.of(g).ifPresent(stack -> sb.append('\n').append(exits(g, stack)));
        return sb.append('\n').toString();
    }

    /** Where a model's early exits are: after each block, through the head's layers. */
    private static String exits(ModelGraph g, DecoderStack stack) {
        List<String> after = new ArrayList<>(), head = new ArrayList<>();
        for (int end : stack.blockEnds()) {
            Node n = g.nodes().get(end - 1);
            String path = n instanceof Node.Apply a ? a.path() : ((Node.Residual) n).path();
            after.add(path.substring(0, path.indexOf('/')));
        }
        for (Node n : g.nodes().subList(stack.headStart(), g.nodes().size())) head.add(((Node.Apply) n).path());
        return "early exits: " + stack.blocks() + ", after " + String.join(", ", after) + ", each through "
                + String.join(" → ", head) + " (the last exit is the full model)";
    }

    /** The columns of a row: the sparse ones only for models with sparse layers, FLOPs/token only for sequences. */
    private static String[] row(boolean sparse, long tokens, String path, String component, String output, String params,
                                String active, String flopsPerExample, String flopsPerToken) {
        List<String> cells = new ArrayList<>(List.of(path, component, output, params));
        if (sparse) cells.add(active);
        cells.add(flopsPerExample);
        if (tokens > 0) cells.add(flopsPerToken);
        return cells.toArray(String[]::new);
    }

    /** Positions per example of the first input when it is a sequence of token ids or vectors, else 0. */
    private static long tokensPerExample(ModelGraph g) {
        if (g.inputs().isEmpty()) return 0;
        var shape = g.inputs().get(0).shape();
        return shape.rank() >= 2 && shape.dim(1) instanceof Dim.Fixed f ? f.size() : 0;
    }

    private static String perToken(long flops, long tokens) { return tokens > 0 ? flops(flops / tokens) : ""; }

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
