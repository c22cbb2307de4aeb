package dev.eff.interpreter.programs;

import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.StepGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A causal language model read one token at a time: {@link #append} adds a token to the context and gives the
 * logits for the token after it. The context holds at most the model's {@link #positions()}.
 */
public sealed interface TokenModel permits TokenModel.Cached, TokenModel.Full, CalmDecoder {

    /** How many positions the model was built for. */
    int positions();

    /** Empties the context. */
    void reset();

    /** Appends {@code token} at the next position; returns the logits of the next token, or null unless {@code wanted}. */
    double[] append(int token, boolean wanted);

    /** Decoding with key/value caches: each token runs the step graph once, over one position. */
    final class Cached implements TokenModel {
        private final StepGraph first, next;
        private final int positions;
        private Map<String, INDArray> caches = new HashMap<>();
        private int position;

        public Cached(StepGraph first, StepGraph next, int positions) {
            this.first = first;
            this.next = next;
            this.positions = positions;
        }

        @Override public int positions() { return positions; }

        @Override
        public void reset() {
            caches = new HashMap<>();
            position = 0;
        }

        @Override
        public double[] append(int token, boolean wanted) {
            if (position >= positions) throw new IllegalStateException("the context is full: " + positions + " positions");
            StepGraph g = position == 0 ? first : next;
            StepGraph.Result r = g.run(Nd4j.createFromArray(new int[][] {{token}}), position, caches);
            caches = r.caches();
            position++;
            return wanted ? r.output().reshape(-1).toDoubleVector() : null;
        }
    }

    /** Without caches: the whole model over the context so far (padded to its positions), for every token wanted. */
    final class Full implements TokenModel {
        private final CompiledModel model;
        private final int positions;
        private final List<Integer> context = new ArrayList<>();

        public Full(CompiledModel model) {
            this.model = model;
            this.positions = Math.toIntExact(((dev.eff.dsl.check.Dim.Fixed) model.graph().inputs().get(0).shape().dim(1)).size());
        }

        @Override public int positions() { return positions; }

        @Override public void reset() { context.clear(); }

        @Override
        public double[] append(int token, boolean wanted) {
            if (context.size() >= positions) throw new IllegalStateException("the context is full: " + positions + " positions");
            context.add(token);
            if (!wanted) return null;
            int[][] ids = new int[1][positions];
            for (int i = 0; i < context.size(); i++) ids[0][i] = context.get(i);
            INDArray out = model.predict(List.of(Nd4j.createFromArray(ids)));
            return out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(context.size() - 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector();
        }
    }
}
