package dev.eff.interpreter.compile;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.EarlyExit;
import dev.eff.stdlib.GraphContext;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.LossFn;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.ScopedLowering;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Lowers a checked {@link ModelGraph} to one SameDiff graph: a placeholder per model input, the labels and
 * the training flag; each {@link Node.Apply} through its {@link Layer} in a scope named by the node's path;
 * each {@link Node.Residual} as an add; and, for training, the loss (a loss call or a formula of loss calls
 * and numbers) as the graph's only loss variable, with the gradient function built at once.
 */
public final class ModelCompiler {
    public static final String LABELS = "eff.labels", TRAINING = "eff.training", OUTPUT = "eff.output";

    static {
        RecyclingSession.install();
    }

    private final Registry registry;
    private final LoweringFactory lowerings;

    /** The standard library's components, lowered through {@link ScopedLowering}. */
    public static ModelCompiler standard() { return new ModelCompiler(Registry.standard(), ScopedLowering::new); }

    public ModelCompiler(Registry registry, LoweringFactory lowerings) {
        this.registry = registry;
        this.lowerings = lowerings;
    }

    /** Compiles the step graphs of causal models (decoding with key/value caches) with this compiler's lowerings. */
    public StepCompiler steps() { return new StepCompiler(lowerings); }

    /** The variable names' namespace of a model instance: its instance key without spaces, e.g. {@code lm(layers=2)}. */
    public static String namespace(ModelGraph graph) {
        return graph.instance().replace(" ", "");
    }

    /** An inference graph over fresh variables (for evaluating a model that was never trained). */
    public CompiledModel forward(ModelGraph graph, DataSchema schema, long seed, DataType dtype) {
        return inference(graph, schema, new Parameters(namespace(graph)), seed, dtype);
    }

    /**
     * The graph for evaluation and prediction over the model instance's {@code variables}: built with
     * {@link dev.eff.stdlib.Lowering#inference()} true (dropout off by construction, components free to choose other
     * static shapes), no loss and no auxiliary-loss work. Variables it needs that do not exist yet are created from
     * {@code seed}.
     */
    public CompiledModel inference(ModelGraph graph, DataSchema schema, Parameters variables, long seed, DataType dtype) {
        return compile(graph, schema, null, variables, seed, dtype, true, false);
    }

    /**
     * The inference graph of an early-exit model with, at every exit i = 1 … L, the state its output head reads (after
     * the final norm) as {@link ExitLoss#stateName}(i) [B, T, D] and the exit's greedy token as {@link ExitLoss#tokenName}(i)
     * [B, T]: what the exit classifiers' second stage learns from.
     */
    public CompiledModel exits(ModelGraph graph, DataSchema schema, Parameters variables, long seed, DataType dtype) {
        return compile(graph, schema, null, variables, seed, dtype, true, true);
    }

    /** The training graph plus {@code loss} over fresh variables, ready for gradients. */
    public CompiledModel compile(ModelGraph graph, DataSchema schema, Value loss, long seed, DataType dtype) {
        return compile(graph, schema, loss, new Parameters(namespace(graph)), seed, dtype);
    }

    /**
     * The training graph plus {@code loss} over the model instance's {@code variables} (created from {@code seed} where
     * missing), ready for gradients.
     */
    public CompiledModel compile(ModelGraph graph, DataSchema schema, Value loss, Parameters variables, long seed,
                                 DataType dtype) {
        return compile(graph, schema, loss, variables, seed, dtype, false, false);
    }

    private CompiledModel compile(ModelGraph graph, DataSchema schema, Value loss, Parameters variables, long seed,
                                  DataType dtype, boolean inference, boolean exitOutputs) {
        SameDiff sd = SameDiff.create();
        SDVariable training = sd.placeHolder(TRAINING, dtype);
        Map<String, SDVariable> values = new HashMap<>();
        List<String> inputs = new ArrayList<>();
        for (ModelGraph.Input in : graph.inputs()) {
            values.put(in.name(), placeholder(sd, in.name(), in.shape(), dtype));
            inputs.add(in.name());
        }
        SideOutputs side = new SideOutputs();
        GraphContext context = new GraphContext(sd, variables, seed, dtype, training, inference);
        for (Node node : graph.nodes()) values.put(node.output(), lower(context, node, values, side));
        var stack = DecoderStack.of(graph);
        if (stack.isPresent()) {
            Node.Apply exit = (Node.Apply) graph.nodes().get(stack.get().exit());
            ((EarlyExit) exit.spec()).lowerExits(lowerings.create(context, exit.path(), exit.inputShape(), exit.outputShape()),
                    exit.args(), stack.get().blocks());
        }
        if (exitOutputs) ExitLoss.outputs(context, lowerings, graph, values);
        SDVariable output = stableName(sd, values.get(graph.output()));
        SDVariable labels = placeholder(sd, LABELS, schema.label().shape(), dtype);
        String lossName = null;
        Map<String, SDVariable> aux = inference ? Map.of() : side.auxTotals(sd);
        if (loss != null) {
            SDVariable l = ExitLoss.of(context, lowerings, graph, values, out -> lowerLoss(sd, loss, out, labels, schema.classes(), dtype, aux));
            lossName = l.name();
            sd.setLossVariables(lossName);
            Quiet.run(sd::createGradFunction);
        }
        Map<String, String> auxNames = new java.util.LinkedHashMap<>();
        aux.forEach((name, v) -> auxNames.put(name, v.name()));
        return new CompiledModel(sd, graph, inputs, LABELS, TRAINING, output.name(), lossName,
                loss == null ? null : loss.render(), dtype, auxNames, side.probes(), variables, inference);
    }

    /**
     * The output under the name {@link #OUTPUT}, so checkpoints and bundles do not expose an op's generated name. An
     * identity rather than {@code renameVariable}, which in M2.1 leaves some ops reading the old name (a reduce then runs
     * without its input).
     */
    private static SDVariable stableName(SameDiff sd, SDVariable output) {
        return sd.identity(OUTPUT, output);
    }

    private SDVariable lower(GraphContext context, Node node, Map<String, SDVariable> values, SideOutputs side) {
        SameDiff sd = context.sd();
        if (node instanceof Node.Residual r) {
            return values.get(r.input()).add(sd.generateNewVarName(r.path() + "/add", 0), values.get(r.branch()));
        }
        Node.Apply a = (Node.Apply) node;
        if (!(a.spec() instanceof Layer layer)) {
            throw new CompileException(a.span(), "'" + a.spec().signature().title() + "' can be checked but has no lowering",
                    "it is not part of the standard library's runtime; use another component");
        }
        Map<String, SDVariable> refs = new HashMap<>();
        a.refs().forEach((param, id) -> refs.put(param, values.get(id)));
        var declared = a.spec().sideOutputs(a.args());
        var ctx = side.recording(lowerings.create(context, a.path(), a.inputShape(), a.outputShape()), a.path(), declared);
        SDVariable out = layer.lower(ctx, a.args(), values.get(a.input()), refs);
        side.requireDeclared(a.path(), declared, context.inference());
        return out;
    }

    private SDVariable lowerLoss(SameDiff sd, Value v, SDVariable output, SDVariable labels, long classes,
                                 DataType dtype, Map<String, SDVariable> aux) {
        if (v instanceof Value.Aux a) {
            SDVariable total = aux.get(a.name());
            if (total == null) {
                throw new CompileException(a.span(), "no layer of this model emits auxiliary loss 'aux." + a.name() + "'", null);
            }
            return total;
        }
        if (v instanceof Value.Int i) return weight(sd, i.value(), dtype);
        if (v instanceof Value.Float f) return weight(sd, f.value(), dtype);
        if (v instanceof Value.Call c) {
            var found = c.spec() != null ? List.of(c.spec()) : registry.lookup(Kind.LOSS, c.name());
            if (found.isEmpty() || !(found.get(0) instanceof LossFn fn)) {
                throw new CompileException(c.span(), "'" + c.name() + "' is not a loss this runtime can lower", null);
            }
            return fn.lower(sd, c.asArgs(), output, labels, classes);
        }
        if (v instanceof Value.Formula f) {
            SDVariable l = lowerLoss(sd, f.left(), output, labels, classes, dtype, aux);
            SDVariable r = lowerLoss(sd, f.right(), output, labels, classes, dtype, aux);
            return switch (f.op()) {
                case "+" -> l.add(r);
                case "-" -> l.sub(r);
                case "*" -> l.mul(r);
                case "/" -> l.div(r);
                default -> throw new IllegalArgumentException("loss formula operator '" + f.op() + "'");
            };
        }
        throw new CompileException(null, "a loss term must be a loss call or a number, not " + v.render(),
                "write the loss as a sum of loss calls with numeric weights, e.g. crossEntropy() + 0.5 * mse()");
    }

    /** A numeric weight of a loss formula; each gets its own name, as a formula may hold any number of them. */
    private static SDVariable weight(SameDiff sd, double value, DataType dtype) {
        String name = "loss/const";
        for (int i = 1; sd.hasVariable(name); i++) name = "loss/const_" + i;
        return sd.constant(name, value).castTo(dtype);
    }

    private static SDVariable placeholder(SameDiff sd, String name, Shape shape, DataType dtype) {
        long[] dims = new long[shape.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = shape.dim(i) instanceof Dim.Fixed f ? f.size() : -1;
        return sd.placeHolder(name, shape.dtype() == DType.INT ? DataType.INT32 : dtype, dims);
    }
}
