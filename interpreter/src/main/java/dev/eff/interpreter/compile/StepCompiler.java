package dev.eff.interpreter.compile;

import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.GraphContext;
import dev.eff.stdlib.ForwardingLowering;
import dev.eff.stdlib.Lowering;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.StepLowering;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Lowers a causal sequence model to its {@link StepGraph}s: every layer through its {@link StepLowering} with the
 * sequence dimension set to 1, residual joins as adds, over the model instance's variables (so the step graphs hold
 * the very arrays the training and inference graphs do).
 */
public final class StepCompiler {
    public static final String TOKENS = "step.tokens", POSITION = "step.position";

    private final LoweringFactory lowerings;

    StepCompiler(LoweringFactory lowerings) {
        this.lowerings = lowerings;
    }

    /** The path of the first layer without a step lowering, or null when the whole model can decode step by step. */
    public static String withoutStepLowering(ModelGraph graph) {
        for (Node n : graph.nodes()) {
            if (n instanceof Node.Apply a && !(a.spec() instanceof StepLowering)) return a.path();
        }
        return null;
    }

    /**
     * The step graph of {@code graph} (one int input [B, T], T its positions): for the first position ({@code first},
     * no caches) or a later one.
     */
    public StepGraph compile(ModelGraph graph, Parameters variables, long seed, DataType dtype, boolean first) {
        return compile(graph, 0, graph.nodes().size(), variables, seed, dtype, first);
    }

    /**
     * The step graph of the nodes {@code from … to - 1} alone (a segment, such as one block of an early-exit model),
     * reading the token ids when {@code from} is 0, else the output of node {@code from - 1} for the newest position
     * (float [B, 1, ...], fed in place of the tokens). The segment's nodes may read only that value and their own.
     */
    public StepGraph compile(ModelGraph graph, int from, int to, Parameters variables, long seed, DataType dtype, boolean first) {
        return compile(graph, java.util.List.of(new int[] {from, to}), variables, seed, dtype, first);
    }

    /**
     * One step graph of several segments {@code [from, to)} that all read the same value, fed once: each segment reads it
     * in place of the output of the node before it. Its output is the last segment's; {@link StepGraph#cachesOnly} of it
     * gives every segment's caches in one call, as CALM's state propagation wants for the blocks a token skips (each
     * reads the exiting state). The segments must read values of one shape, that of the first segment's input.
     */
    public StepGraph compile(ModelGraph graph, java.util.List<int[]> segments, Parameters variables, long seed, DataType dtype,
                             boolean first) {
        SameDiff sd = SameDiff.create();
        SDVariable training = sd.placeHolder(ModelCompiler.TRAINING, dtype);
        ModelGraph.Input in = graph.inputs().get(0);
        long positions = ((Dim.Fixed) in.shape().dim(1)).size();
        SDVariable position = sd.placeHolder(POSITION, DataType.INT32, 1);
        int from = segments.get(0)[0];
        SDVariable input = from == 0 ? sd.placeHolder(TOKENS, DataType.INT32, -1, 1)
                : sd.placeHolder(TOKENS, dtype, placeholderDims(onePosition(graph.nodes().get(from - 1).outputShape())));
        Map<String, SDVariable> values = new HashMap<>();
        GraphContext context = new GraphContext(sd, variables, seed, dtype, training, true);
        Map<String, String> caches = new LinkedHashMap<>(), updates = new LinkedHashMap<>();
        for (int[] segment : segments) {
            values.put(segment[0] == 0 ? in.name() : graph.nodes().get(segment[0] - 1).output(), input);
            for (Node node : graph.nodes().subList(segment[0], segment[1])) {
                values.put(node.output(), lower(context, node, values, position, positions, first, caches, updates));
            }
        }
        int to = segments.get(segments.size() - 1)[1];
        return new StepGraph(sd, TOKENS, POSITION, ModelCompiler.TRAINING, values.get(graph.nodes().get(to - 1).output()).name(),
                caches, updates, dtype);
    }

    private SDVariable lower(GraphContext context, Node node, Map<String, SDVariable> values, SDVariable position, long positions,
                             boolean first, Map<String, String> caches, Map<String, String> updates) {
        SameDiff sd = context.sd();
        if (node instanceof Node.Residual r) {
            return values.get(r.input()).add(sd.generateNewVarName(r.path() + "/add", 0), values.get(r.branch()));
        }
        Node.Apply a = (Node.Apply) node;
        if (!(a.spec() instanceof StepLowering layer)) {
            throw new CompileException(a.span(), "'" + a.spec().signature().title() + "' has no step lowering", null);
        }
        Map<String, SDVariable> refs = new HashMap<>();
        a.refs().forEach((param, id) -> refs.put(param, values.get(id)));
        Lowering inner = lowerings.create(context, a.path(), onePosition(a.inputShape()), onePosition(a.outputShape()));
        return layer.lowerStep(new Step(inner, a.path(), position, positions, first, caches, updates), a.args(),
                values.get(a.input()), refs);
    }

    /** Placeholder dimensions of a shape: its fixed sizes, -1 for the batch. */
    private static long[] placeholderDims(Shape s) {
        long[] dims = new long[s.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = s.dim(i) instanceof Dim.Fixed f ? f.size() : -1;
        return dims;
    }

    /** The shape of one position: the sequence dimension (1) set to 1. */
    static Shape onePosition(Shape s) {
        return s.rank() < 2 ? s : s.withDim(1, Dim.of(1));
    }

    /** A layer's step context: its lowering, plus the position and its cache placeholders and updates. */
    private static final class Step extends ForwardingLowering implements StepLowering.Step {
        private final String path;
        private final SDVariable position;
        private final long graphPositions;
        private final boolean first;
        private final Map<String, String> caches, updates;

        Step(Lowering inner, String path, SDVariable position, long graphPositions, boolean first,
             Map<String, String> caches, Map<String, String> updates) {
            super(inner);
            this.path = path;
            this.position = position;
            this.graphPositions = graphPositions;
            this.first = first;
            this.caches = caches;
            this.updates = updates;
        }

        @Override public SDVariable position() { return position; }

        @Override public long graphPositions() { return graphPositions; }

        @Override
        public SDVariable cache(String name, long... shape) {
            if (first) return null;
            String key = path + "/" + name;
            SDVariable p = sd().placeHolder("step.cache/" + key, dtype(), shape);
            caches.put(key, p.name());
            return p;
        }

        @Override
        public void update(String name, SDVariable value) {
            updates.put(path + "/" + name, sd().identity("step.next/" + path + "/" + name, value).name());
        }

        @Override public boolean inference() { return true; }
        /** A step graph computes no losses. */
        @Override public void aux(String name, SDVariable scalar) {}
        /** Nor statistics: probes belong to evaluation over whole sequences. */
        @Override public void probe(String name, SDVariable value) {}
    }
}
