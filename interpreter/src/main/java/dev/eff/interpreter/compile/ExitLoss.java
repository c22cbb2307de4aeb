package dev.eff.interpreter.compile;

import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.stdlib.EarlyExit;
import dev.eff.stdlib.GraphContext;
import dev.eff.stdlib.Layer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The training loss of a model with an {@link EarlyExit}: the head (the nodes after the last block) applied again to
 * every earlier block's output, over the same variables, and the loss of each exit weighted by the exit's
 * {@link EarlyExit#lossWeights}: loss = Σ_i w_i · loss(head(h_i)). A loss formula is applied per exit, so its auxiliary
 * terms, the same at every exit, keep their weight (the w_i sum to 1).
 */
public final class ExitLoss {
    private ExitLoss() {}

    /** The weighted loss, or {@code lossOf(output)} when the model has no early exit. */
    static SDVariable of(GraphContext context, LoweringFactory lowerings, ModelGraph graph, Map<String, SDVariable> values,
                         UnaryOperator<SDVariable> lossOf) {
        SDVariable last = lossOf.apply(values.get(graph.output()));
        var found = DecoderStack.of(graph);
        if (found.isEmpty()) return last;
        DecoderStack stack = found.get();
        EarlyExit exit = (EarlyExit) ((Node.Apply) graph.nodes().get(stack.exit())).spec();
        double[] w = exit.lossWeights(((Node.Apply) graph.nodes().get(stack.exit())).args(), stack.blocks());
        SDVariable total = last.mul(w[w.length - 1]);
        List<Node> head = graph.nodes().subList(stack.headStart(), graph.nodes().size());
        for (int i = 0; i < stack.blocks() - 1; i++) {
            SDVariable out = apply(context, lowerings, head, values.get(stack.states().get(i)));
            total = total.add(lossOf.apply(out).mul(w[i]));
        }
        return total;
    }

    /** The chain {@code head} (plain applies, checked by {@link DecoderStack}) on {@code input}, sharing its variables. */
    static SDVariable apply(GraphContext context, LoweringFactory lowerings, List<Node> head, SDVariable input) {
        List<SDVariable> outputs = chain(context, lowerings, head, input);
        return outputs.get(outputs.size() - 1);
    }

    /** The output of every node of the chain {@code head} on {@code input}. */
    private static List<SDVariable> chain(GraphContext context, LoweringFactory lowerings, List<Node> head, SDVariable input) {
        List<SDVariable> outputs = new java.util.ArrayList<>();
        SDVariable x = input;
        for (Node n : head) {
            Node.Apply a = (Node.Apply) n;
            x = ((Layer) a.spec()).lower(lowerings.create(context, a.path(), a.inputShape(), a.outputShape()), a.args(), x, Map.of());
            outputs.add(x);
        }
        return outputs;
    }

    /** The name of exit i's state (1-based) in a graph compiled with {@link ModelCompiler#exits}. */
    public static String stateName(int exit) { return "exit." + exit + ".state"; }

    /** The name of exit i's greedy token (1-based) in a graph compiled with {@link ModelCompiler#exits}. */
    public static String tokenName(int exit) { return "exit." + exit + ".token"; }

    /**
     * At every exit: the state the output head reads there (the exit layer's input, after the final norm) and the
     * exit's greedy token, under {@link #stateName} and {@link #tokenName}.
     */
    static void outputs(GraphContext context, LoweringFactory lowerings, ModelGraph graph, Map<String, SDVariable> values) {
        DecoderStack stack = DecoderStack.of(graph).orElseThrow();
        List<Node> head = graph.nodes().subList(stack.headStart(), graph.nodes().size());
        int exitAt = stack.exit() - stack.headStart();
        for (int i = 0; i < stack.blocks(); i++) {
            List<SDVariable> outputs = chain(context, lowerings, head, values.get(stack.states().get(i)));
            context.sd().identity(stateName(i + 1), outputs.get(exitAt));
            context.sd().argmax(tokenName(i + 1), outputs.get(outputs.size() - 1), -1);
        }
    }
}
