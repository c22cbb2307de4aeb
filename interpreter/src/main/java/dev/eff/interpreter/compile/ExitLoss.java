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
final class ExitLoss {
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
        SDVariable x = input;
        for (Node n : head) {
            Node.Apply a = (Node.Apply) n;
            x = ((Layer) a.spec()).lower(lowerings.create(context, a.path(), a.inputShape(), a.outputShape()), a.args(), x, Map.of());
        }
        return x;
    }
}
