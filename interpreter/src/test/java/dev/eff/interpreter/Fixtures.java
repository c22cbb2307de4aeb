package dev.eff.interpreter;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Optimizer;
import dev.eff.stdlib.Registry;
import dev.eff.stdlib.losses.CrossEntropy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import dev.eff.interpreter.train.TrainPlan;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-built checked models and data for runtime tests (no front end needed). */
public final class Fixtures {
    private Fixtures() {}

    public static final Source SOURCE = new Source("test.eff", "train mlp on blobs { steps = 10 }\n");
    public static final Span SPAN = new Span(SOURCE, 0, 5);
    public static final Registry REGISTRY = new Registry(List.<Component>of(new CrossEntropy(),
            new dev.eff.stdlib.optim.Sgd(), new dev.eff.stdlib.optim.Adam(), new dev.eff.stdlib.optim.AdamW(),
            new dev.eff.stdlib.metrics.Accuracy()));
    public static final ModelCompiler COMPILER = new ModelCompiler(REGISTRY, dev.eff.stdlib.ScopedLowering::new);

    public static final DataSchema SCHEMA = new DataSchema(List.of(new DataSchema.Field("x", Shape.batch(DType.FLOAT, 4))),
            new DataSchema.Field("label", Shape.batch(DType.INT)), 3, List.of("train", "test"));

    public static Args args(Signature sig, Map<String, Value> given) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (Param p : sig.params()) if (p.defaultValue() != null) m.put(p.name(), p.defaultValue());
        m.putAll(given);
        return new Args(m);
    }

    /** x[4] → dense(hidden, tanh) → dense(3), or a single dense(3) when hidden is 0. */
    public static ModelGraph mlp(int hidden) { return mlp("mlp", hidden); }

    /** x[4] → dense1(8, tanh) → scale (a {@link TestScale}: state, trainable and frozen variables) → dense2(3). */
    public static ModelGraph scaledMlp() {
        ModelGraph m = mlp(8);
        Shape h = Shape.batch(DType.FLOAT, 8);
        List<Node> nodes = new ArrayList<>(m.nodes());
        Node.Apply last = (Node.Apply) nodes.remove(1);
        nodes.add(new Node.Apply("s", SPAN, "scale", new TestScale(), new Args(Map.of()), "h", Map.of(), h, h,
                dev.eff.dsl.check.Cost.FREE));
        nodes.add(new Node.Apply(last.output(), SPAN, last.path(), last.spec(), last.args(), "s", Map.of(), h,
                last.outputShape(), last.cost()));
        return new ModelGraph("scaled", SPAN, m.params(), m.inputs(), nodes, m.output(), m.outputShape());
    }

    /** x[4] → dropout(rate) → dense1(8, tanh) → dense2(3): a model whose steps draw random numbers. */
    public static ModelGraph droppedMlp(double rate) {
        ModelGraph m = mlp(8);
        Shape in = Shape.batch(DType.FLOAT, 4);
        var dropout = new dev.eff.stdlib.layers.Dropout();
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node.Apply("d", SPAN, "dropout", dropout, args(dropout.signature(), Map.of("rate", new Value.Float(rate))),
                "x", Map.of(), in, in, dev.eff.dsl.check.Cost.FREE));
        Node.Apply first = (Node.Apply) m.nodes().get(0);
        nodes.add(new Node.Apply(first.output(), SPAN, first.path(), first.spec(), first.args(), "d", Map.of(), in,
                first.outputShape(), first.cost()));
        nodes.add(m.nodes().get(1));
        return new ModelGraph("dropped", SPAN, m.params(), m.inputs(), nodes, m.output(), m.outputShape());
    }

    /** {@link #mlp(int)} under another model name. */
    public static ModelGraph mlp(String name, int hidden) {
        List<Node> nodes = new ArrayList<>();
        Shape in = Shape.batch(DType.FLOAT, 4);
        String prev = "x";
        if (hidden > 0) {
            Shape h = in.withLast(hidden);
            nodes.add(apply("h", "dense1", prev, in, h, hidden, true));
            prev = "h";
            in = h;
        }
        nodes.add(apply("logits", "dense2", prev, in, in.withLast(3), 3, false));
        return new ModelGraph(name, SPAN, new Args(Map.of()), List.of(new ModelGraph.Input("x", Shape.batch(DType.FLOAT, 4))),
                nodes, "logits", in.withLast(3));
    }

    /** x[4] → auxDense(6) → auxDense(3): two layers that each emit aux {@code l2} and probes {@code activation}, {@code mode}. */
    public static ModelGraph auxMlp(boolean undeclared) {
        Shape in = Shape.batch(DType.FLOAT, 4), h = in.withLast(6), out = in.withLast(3);
        TestAuxDense d = new TestAuxDense();
        List<Node> nodes = List.of(
                new Node.Apply("h", SPAN, "first", d, args(TestAuxDense.SIG, Map.of("units", new Value.Int(6),
                        "undeclared", new Value.Bool(undeclared))), "x", Map.of(), in, h, dev.eff.dsl.check.Cost.FREE),
                new Node.Apply("logits", SPAN, "second", d, args(TestAuxDense.SIG, Map.of("units", new Value.Int(3))), "h",
                        Map.of(), h, out, dev.eff.dsl.check.Cost.FREE));
        return new ModelGraph("auxMlp", SPAN, new Args(Map.of()), List.of(new ModelGraph.Input("x", in)), nodes, "logits", out);
    }

    public static Value.Call crossEntropy() { return call("crossEntropy", Map.of("labelSmoothing", new Value.Float(0))); }

    private static Node.Apply apply(String out, String path, String input, Shape in, Shape o, int units, boolean tanh) {
        TestDense d = new TestDense();
        Args a = args(TestDense.SIG, Map.of("units", new Value.Int(units), "tanh", new Value.Bool(tanh)));
        try {
            return new Node.Apply(out, SPAN, path, d, a, input, Map.of(), in, o, d.cost(a, in, o, Map.of()));
        } catch (ShapeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three Gaussian blobs in 4-D; the label is the blob. */
    public static Dataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int k = 0; k < 4; k++) x[i][k] = (float) (r.nextGaussian() * 0.5 + (k == y[i] ? 2 : 0));
        }
        return new Dataset(List.of(Nd4j.createFromArray(x)), Nd4j.createFromArray(y));
    }

    public static Value.Call call(String name, Map<String, Value> args) { return new Value.Call(name, args, SPAN); }

    public static CompiledModel compile(ModelGraph g, long seed) {
        return COMPILER.compile(g, SCHEMA, call("crossEntropy", Map.of("labelSmoothing", new Value.Float(0))), seed,
                DataType.FLOAT);
    }

    public static TrainPlan plan(Optimizer opt, Map<String, Value> optArgs, int batch, long steps, long seed, Path ckpt,
                                 long every) {
        return new TrainPlan(batch, steps, 0, seed, opt, args(opt.signature(), optArgs), ckpt, every, SPAN);
    }
}
