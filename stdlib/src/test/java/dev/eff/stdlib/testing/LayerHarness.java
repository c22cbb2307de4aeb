package dev.eff.stdlib.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.ScopedLowering;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test bench for one {@link Layer}: binds its arguments (defaults filled in), applies its shape rule and
 * cost model, lowers it alone into a fresh SameDiff graph through {@link ScopedLowering} (scope
 * {@value #SCOPE}), runs it forward, and checks its gradients against central finite differences in DOUBLE.
 *
 * <p>Forward graphs feed the input and the refs as placeholders with a dynamic batch dimension, as the
 * runtime does. Gradient graphs hold float inputs as variables instead, so the gradient with respect to the
 * input is checked like any parameter (SameDiff refuses to differentiate a graph without variables).
 *
 * <pre>{@code
 * var h = LayerHarness.of(new Dense(), "units", 3).input(Shape.batch(DType.FLOAT, 4, 5));
 * var run = h.run(DataType.DOUBLE, x);      // run.output(), run.param("W")
 * h.checkGradients(x);
 * }</pre>
 */
public final class LayerHarness {

    public static final String SCOPE = "layer";
    public static final long DEFAULT_SEED = 42;

    private final Layer layer;
    private final Args args;
    private final Shape input;
    private final Map<String, Shape> refs;
    private final long seed;
    private final boolean randomParams;
    private final boolean inferenceGraph;

    private LayerHarness(Layer layer, Args args, Shape input, Map<String, Shape> refs, long seed, boolean randomParams,
                         boolean inferenceGraph) {
        this.layer = layer;
        this.args = args;
        this.input = input;
        this.refs = Map.copyOf(refs);
        this.seed = seed;
        this.randomParams = randomParams;
        this.inferenceGraph = inferenceGraph;
    }

    /**
     * A harness for {@code layer} with arguments given as name/value pairs: Java ints, longs, doubles and
     * booleans, and strings, which become a choice word, for parameters of type ref a value name, and for
     * component-typed parameters a call without arguments ({@code "relu"}); pass a {@link Value.Call} for one with.
     */
    public static LayerHarness of(Layer layer, Object... nameValuePairs) {
        return new LayerHarness(layer, bind(layer, nameValuePairs), null, Map.of(), DEFAULT_SEED, true, false);
    }

    /** Binds arguments like the checker does: every declared parameter present, defaults filled in. */
    public static Args bind(Layer layer, Object... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) throw new IllegalArgumentException("arguments come in name/value pairs");
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) given.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
        Map<String, Value> bound = new LinkedHashMap<>();
        for (Param p : layer.signature().params()) {
            Object v = given.remove(p.name());
            if (v == null && p.required()) throw new IllegalArgumentException("missing required argument " + p.name());
            bound.put(p.name(), v == null ? p.defaultValue() : value(p.type(), v));
        }
        if (!given.isEmpty()) throw new IllegalArgumentException("unknown arguments " + given.keySet());
        return new Args(bound);
    }

    private static Value value(Type type, Object v) {
        if (v instanceof Value already) return already;
        if (v instanceof Integer i) return new Value.Int(i);
        if (v instanceof Long l) return new Value.Int(l);
        if (v instanceof Double d) return new Value.Float(d);
        if (v instanceof Boolean b) return new Value.Bool(b);
        if (v instanceof String s && type instanceof Type.Component) return new Value.Call(s, Map.of(), null);
        if (v instanceof String s) return type instanceof Type.Ref ? new Value.Ref(s) : new Value.Symbol(s);
        throw new IllegalArgumentException("cannot bind " + v);
    }

    public LayerHarness input(Shape shape) { return new LayerHarness(layer, args, shape, refs, seed, randomParams, inferenceGraph); }

    /** The shape of the value a {@link Type.Ref} parameter names. */
    public LayerHarness ref(String param, Shape shape) {
        Map<String, Shape> more = new HashMap<>(refs);
        more.put(param, shape);
        return new LayerHarness(layer, args, input, more, seed, randomParams, inferenceGraph);
    }

    public LayerHarness seed(long newSeed) { return new LayerHarness(layer, args, input, refs, newSeed, randomParams, inferenceGraph); }

    /**
     * Whether parameters are replaced by uniform values in [-1, 1) after lowering (the default), so that
     * reference checks exercise every parameter: initial biases are zero and gains one. {@code false} keeps
     * the initial values the component chose.
     */
    public LayerHarness randomParams(boolean on) { return new LayerHarness(layer, args, input, refs, seed, on, inferenceGraph); }

    /** Lowers into an inference graph ({@code Lowering.inference()} true), as evaluation and prediction do. */
    public LayerHarness inferenceGraph() { return new LayerHarness(layer, args, input, refs, seed, randomParams, true); }

    public Args args() { return args; }

    public Shape outputShape() throws ShapeException { return layer.outputShape(args, input, refs); }

    public Cost cost() throws ShapeException { return layer.cost(args, input, outputShape(), refs); }

    /** A forward pass at inference (training = 0). */
    public Run run(DataType dtype, INDArray x) { return run(dtype, x, Map.of(), false); }

    public Run run(DataType dtype, INDArray x, Map<String, INDArray> refValues) { return run(dtype, x, refValues, false); }

    /** A forward pass; the output's shape is checked against the shape rule. */
    public Run run(DataType dtype, INDArray x, Map<String, INDArray> refValues, boolean training) {
        Graph g = build(dtype, false, x, refValues);
        INDArray out = g.sd.output(g.feed(x, refValues, training), g.output.name()).get(g.output.name());
        assertArrayEquals(expectedShape(x.size(0)), out.shape(), "output shape differs from the shape rule");
        assertTrue(out.dataType() == dtype, "output dtype " + out.dataType() + ", expected " + dtype);
        return new Run(out, g.params());
    }

    /**
     * Several forward passes of one graph (the same parameters), as successive training or inference steps
     * would run it: for layers that draw random numbers, each execution must draw afresh.
     */
    public List<INDArray> repeatedOutputs(DataType dtype, INDArray x, boolean training, int executions) {
        Graph g = build(dtype, false, x, Map.of());
        Map<String, INDArray> feed = g.feed(x, Map.of(), training);
        List<INDArray> outs = new java.util.ArrayList<>();
        for (int i = 0; i < executions; i++) outs.add(g.sd.output(feed, g.output.name()).get(g.output.name()).dup());
        return outs;
    }

    /** Output and parameters of one forward pass; parameters by their short name ({@code W}, not {@code layer/W}). */
    public record Run(INDArray output, Map<String, INDArray> params) {
        public INDArray param(String name) {
            INDArray p = params.get(name);
            if (p == null) throw new IllegalArgumentException("no parameter " + name + " in " + params.keySet());
            return p;
        }
    }

    public void checkGradients(INDArray x) { checkGradients(x, Map.of(), false); }

    public void checkGradients(INDArray x, Map<String, INDArray> refValues) { checkGradients(x, refValues, false); }

    /**
     * Compares SameDiff's gradients of L = Σ out ⊙ R (R a fixed random tensor) with respect to every
     * parameter, the input (when float) and every ref against central differences (h = 1e-6) in DOUBLE, on
     * up to {@value #CHECKS_PER_TENSOR} elements per tensor.
     */
    public void checkGradients(INDArray x, Map<String, INDArray> refValues, boolean training) {
        Graph g = build(DataType.DOUBLE, true, x, refValues);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        INDArray r = Plain.random(rng, expectedShape(x.size(0)));
        SDVariable loss = g.sd.sum(g.output.mul(g.sd.constant("harness/R", r)));
        loss.markAsLoss();
        Map<String, INDArray> feed = g.feed(x, refValues, training);
        List<String> wrt = g.sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).toList();
        assertTrue(!wrt.isEmpty(), "nothing to differentiate");
        Map<String, INDArray> analytic = quietly(() -> g.sd.calculateGradients(feed, wrt.toArray(String[]::new)));
        for (String name : wrt) {
            INDArray value = g.sd.getVariable(name).getArr();
            INDArray grad = analytic.get(name);
            assertTrue(grad != null, "no gradient for " + name);
            for (long i : sample(rng, value.length())) {
                double orig = value.getDouble(i);
                value.putScalar(i, orig + H);
                double up = eval(g.sd, feed, loss.name());
                value.putScalar(i, orig - H);
                double down = eval(g.sd, feed, loss.name());
                value.putScalar(i, orig);
                double numeric = (up - down) / (2 * H), a = grad.getDouble(i);
                double err = Math.abs(a - numeric);
                assertTrue(err <= ATOL + RTOL * Math.max(Math.abs(a), Math.abs(numeric)),
                        "gradient of " + name + "[" + i + "]: SameDiff " + a + ", finite difference " + numeric);
            }
        }
    }

    /**
     * One forward and backward pass of L = Σ out in DOUBLE from a single execution, for layers whose output
     * is random (dropout while training), where finite differences cannot apply: the output and dL/d(input)
     * come from the same draw.
     */
    public Backward outputAndInputGradient(INDArray x, boolean training) {
        Graph g = build(DataType.DOUBLE, true, x, Map.of());
        SDVariable loss = g.sd.sum(g.output);
        loss.markAsLoss();
        var result = quietly(() -> g.sd.calculateGradientsAndOutputs(g.feed(x, Map.of(), training),
                List.of(g.output.name()), List.of("input")));
        return new Backward(result.getOutputs().get(g.output.name()), result.getGradients().get("input"));
    }

    /** The output of one pass and the gradient of Σ output with respect to the input, from the same execution. */
    public record Backward(INDArray output, INDArray inputGradient) {}

    private static final double H = 1e-6, RTOL = 1e-5, ATOL = 1e-8;
    private static final Object STDOUT_LOCK = new Object();
    private static final int CHECKS_PER_TENSOR = 40;

    private static double eval(SameDiff sd, Map<String, INDArray> feed, String loss) {
        return sd.output(feed, loss).get(loss).getDouble(0);
    }

    private static long[] sample(SplittableRandom rng, long n) {
        if (n <= CHECKS_PER_TENSOR) return java.util.stream.LongStream.range(0, n).toArray();
        return rng.longs(CHECKS_PER_TENSOR, 0, n).toArray();
    }

    /** SameDiff prints "Added differentiated op ..." to stdout while it builds the gradient graph. */
    public static <T> T quietly(java.util.function.Supplier<T> work) {
        synchronized (STDOUT_LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return work.get();
            } finally {
                System.setOut(out);
            }
        }
    }

    private long[] expectedShape(long batch) {
        try {
            Shape out = outputShape();
            long[] dims = new long[out.rank()];
            dims[0] = batch;
            System.arraycopy(out.example(), 0, dims, 1, dims.length - 1);
            return dims;
        } catch (ShapeException e) {
            throw new AssertionError("the shape rule rejected the test input: " + e.getMessage(), e);
        }
    }

    /** The probes the layer emits (by name), evaluated on one forward pass; each must be declared in sideOutputs. */
    public Map<String, INDArray> probes(DataType dtype, INDArray x, boolean training) {
        Graph g = build(dtype, false, x, Map.of());
        Map<String, INDArray> out = new LinkedHashMap<>();
        java.util.Set<String> declared = new java.util.HashSet<>();
        for (var s : layer.sideOutputs(args)) declared.add(s.name());
        for (var e : g.probes.entrySet()) {
            assertTrue(declared.contains(e.getKey()), "probe " + e.getKey() + " is not declared in sideOutputs");
            out.put(e.getKey(), g.sd.output(g.feed(x, Map.of(), training), e.getValue().name()).get(e.getValue().name()));
        }
        return out;
    }

    private record Graph(SameDiff sd, SDVariable output, Map<String, SDVariable> placeholders, Map<String, SDVariable> probes) {
        Map<String, INDArray> feed(INDArray x, Map<String, INDArray> refValues, boolean training) {
            Map<String, INDArray> feed = new HashMap<>();
            DataType dtype = placeholders.get("training").dataType();
            feed.put("training", Nd4j.scalar(dtype, training ? 1.0 : 0.0));
            if (placeholders.containsKey("input")) feed.put("input", cast(x, placeholders.get("input").dataType()));
            for (var e : refValues.entrySet()) {
                SDVariable p = placeholders.get("ref/" + e.getKey());
                if (p != null) feed.put(p.name(), cast(e.getValue(), p.dataType()));
            }
            return feed;
        }

        Map<String, INDArray> params() {
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith(SCOPE + "/")) {
                    out.put(v.name().substring(SCOPE.length() + 1), v.getArr().dup());
                }
            }
            return out;
        }
    }

    private Graph build(DataType dtype, boolean floatInputsAsVariables, INDArray x, Map<String, INDArray> refValues) {
        if (input == null) throw new IllegalStateException("set the input shape with input(...) first");
        Shape out = outputShapeOrFail();
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> placeholders = new HashMap<>();
        SDVariable training = sd.placeHolder("training", dtype);
        placeholders.put("training", training);
        SDVariable in = inputValue(sd, "input", input, x, dtype, floatInputsAsVariables, placeholders);
        Map<String, SDVariable> refVars = new LinkedHashMap<>();
        for (var e : refs.entrySet()) {
            INDArray v = refValues.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("no value for ref " + e.getKey());
            refVars.put(e.getKey(), inputValue(sd, "ref/" + e.getKey(), e.getValue(), v, dtype, floatInputsAsVariables, placeholders));
        }
        ScopedLowering ctx = new ScopedLowering(sd, SCOPE, input, out, seed, dtype, training, inferenceGraph);
        SDVariable result = layer.lower(ctx, args, in, refVars);
        if (randomParams) {
            SplittableRandom rng = new SplittableRandom(seed + 2);
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith(SCOPE + "/")) {
                    v.setArray(Plain.random(rng, v.getShape()).castTo(dtype));
                }
            }
        }
        return new Graph(sd, result, placeholders, ctx.probes());
    }

    private static SDVariable inputValue(SameDiff sd, String name, Shape shape, INDArray x, DataType dtype, boolean asVariable,
                                    Map<String, SDVariable> placeholders) {
        if (shape.dtype() == DType.FLOAT && asVariable) return sd.var(name, cast(x, dtype));
        long[] dims = new long[shape.rank()];
        dims[0] = -1;
        for (int i = 1; i < dims.length; i++) dims[i] = x.size(i);
        SDVariable p = sd.placeHolder(name, shape.dtype() == DType.INT ? DataType.INT : dtype, dims);
        placeholders.put(name, p);
        return p;
    }

    private static INDArray cast(INDArray x, DataType dtype) { return x.dataType() == dtype ? x.dup() : x.castTo(dtype); }

    private Shape outputShapeOrFail() {
        try {
            return outputShape();
        } catch (ShapeException e) {
            throw new AssertionError("the shape rule rejected the test input: " + e.getMessage(), e);
        }
    }
}
