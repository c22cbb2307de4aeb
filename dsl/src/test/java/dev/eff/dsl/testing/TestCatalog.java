package dev.eff.dsl.testing;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.ComponentSpec;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.DataSpec;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.LayerSpec;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.TargetSpec;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A small catalog of fake components with real shape rules, so the front end is tested without the
 * standard library: dense-, embed- and attention-like layers (attention with variants), a layer that
 * reads a second model value, data sources with one and two inputs, losses, optimizers and metrics.
 */
public final class TestCatalog implements Catalog {
    public static final TestCatalog INSTANCE = new TestCatalog();

    private final List<ComponentSpec> all = new ArrayList<>();

    private TestCatalog() {
        all.add(layer("dense", null, false, List.of(Param.required("units", Type.positive(), "output features"),
                Param.of("bias", new Type.Bool(), true, "add a bias")), (a, in, refs) -> {
            requireFloat(in, "dense");
            return in.withLast(a.integer("units"));
        }, (a, in, out) -> {
            long n = in.last(), u = a.integer("units");
            long params = n * u + (a.bool("bias") ? u : 0);
            return Cost.of(params, 2 * n * u * positions(in));
        }));
        all.add(layer("relu", null, false, List.of(), (a, in, refs) -> {
            requireFloat(in, "relu");
            return in;
        }, (a, in, out) -> Cost.of(0, in.exampleElements())));
        all.add(layer("norm", null, false, List.of(Param.of("eps", Type.positiveReal(), 1e-5, "stabiliser")),
                (a, in, refs) -> {
                    requireFloat(in, "norm");
                    return in;
                }, (a, in, out) -> Cost.of(2 * in.last(), 5 * in.exampleElements())));
        all.add(layer("flatten", null, false, List.of(), (a, in, refs) -> Shape.batch(in.dtype(), in.exampleElements()),
                (a, in, out) -> Cost.FREE));
        all.add(layer("embed", null, false, List.of(Param.required("vocab", Type.positive(), "vocabulary size"),
                Param.required("dim", Type.positive(), "embedding width"),
                Param.choice("position", "position encoding", "learned", "sinusoidal", "none")), (a, in, refs) -> {
            if (in.dtype() != DType.INT) {
                throw new ShapeException("expects token ids (int), got " + in.describe(), "embed the output of a data source's int input");
            }
            List<Dim> dims = new ArrayList<>(in.dims());
            dims.add(Dim.of(a.integer("dim")));
            return new Shape(DType.FLOAT, dims);
        }, (a, in, out) -> {
            long p = a.integer("vocab") * a.integer("dim");
            if (a.symbol("position").equals("learned")) p += in.size(1) * a.integer("dim");
            return Cost.of(p, 0);
        }));
        for (String variant : List.of("softmax", "performer")) {
            List<Param> params = new ArrayList<>(List.of(Param.of("heads", Type.positive(), 1, "attention heads"),
                    Param.of("causal", new Type.Bool(), false, "mask the future")));
            if (variant.equals("performer")) params.add(Param.of("features", Type.positive(), 64, "random features"));
            all.add(layer("attention", variant, variant.equals("softmax"), params, (a, in, refs) -> {
                requireFloat(in, "attention");
                if (in.rank() != 3) throw new ShapeException("expects [batch, positions, features], got " + in.describe());
                long d = in.last(), h = a.integer("heads");
                if (d % h != 0) {
                    throw new ShapeException("model width " + d + " is not divisible by heads = " + h,
                            "choose heads that divide " + d);
                }
                return in;
            }, (a, in, out) -> Cost.of(4 * in.last() * in.last(), 8 * in.last() * in.last() * in.size(1))));
        }
        all.add(layer("crossAttend", null, false, List.of(Param.required("memory", new Type.Ref(), "the attended value"),
                Param.of("heads", Type.positive(), 1, "heads")), (a, in, refs) -> {
            Shape m = refs.get("memory");
            if (m.last() != in.last()) {
                throw new ShapeException("memory width " + m.last() + " differs from the stream's width " + in.last());
            }
            return in;
        }, (a, in, out) -> Cost.of(4 * in.last() * in.last(), 0)));
        all.add(layer("stack", null, false, List.of(Param.of("sizes", new Type.ListOf(Type.positive()), new Value.List_(List.of()),
                "hidden sizes")), (a, in, refs) -> {
            Shape s = in;
            for (Value v : ((Value.List_) a.get("sizes")).items()) s = s.withLast(((Value.Int) v).value());
            return s;
        }, (a, in, out) -> Cost.FREE));
        all.add(experts());

        all.add(data("toy", List.of(Param.of("vocab", Type.atLeast(2), 64, "vocabulary"),
                Param.of("length", Type.positive(), 16, "tokens per example"),
                Param.of("examples", Type.positive(), 100, "examples")), a -> new DataSchema(
                List.of(new DataSchema.Field("tokens", Shape.batch(DType.INT, a.integer("length")))),
                new DataSchema.Field("next", Shape.batch(DType.INT, a.integer("length"))), a.integer("vocab"),
                List.of("train", "test"))));
        all.add(data("pairs", List.of(Param.of("length", Type.positive(), 8, "tokens per text")), a -> new DataSchema(
                List.of(new DataSchema.Field("query", Shape.batch(DType.INT, a.integer("length"))),
                        new DataSchema.Field("passage", Shape.batch(DType.INT, a.integer("length")))),
                new DataSchema.Field("match", Shape.batch(DType.INT)), 2, List.of("train", "valid", "test"))));
        all.add(data("images", List.of(Param.of("side", Type.positive(), 28, "image side"),
                Param.of("path", new Type.Str(), new Value.Str("images.csv"), "file")), a -> {
            if (a.str("path").isEmpty()) throw new ShapeException("path is empty", "give the path of the images file");
            return new DataSchema(List.of(new DataSchema.Field("pixels", Shape.batch(DType.FLOAT, 1, a.integer("side"), a.integer("side")))),
                    new DataSchema.Field("digit", Shape.batch(DType.INT)), 10, List.of("train", "test"));
        }));

        all.add(target("crossEntropy", Kind.LOSS, List.of(Param.of("smoothing", Type.unit(), 0.0, "label smoothing")),
                TestCatalog::classesCheck));
        all.add(target("mse", Kind.LOSS, List.of(), (a, out, label, classes) -> {
            if (!out.dims().equals(label.shape().dims())) {
                throw new ShapeException("output " + out.describe() + " does not match labels " + label.shape().describe());
            }
        }));
        all.add(target("accuracy", Kind.METRIC, List.of(), TestCatalog::classesCheck));
        all.add(target("perplexity", Kind.METRIC, List.of(), TestCatalog::classesCheck));
        all.add(plain("adam", Kind.OPTIMIZER, List.of(Param.of("lr", Type.positiveReal(), 1e-3, "learning rate"))));
        all.add(plain("sgd", Kind.OPTIMIZER, List.of(Param.of("lr", Type.positiveReal(), 0.1, "learning rate"),
                Param.of("momentum", Type.unit(), 0.0, "momentum"))));
        all.add(plain("adamw", Kind.OPTIMIZER, List.of(Param.of("lr", Type.positiveReal(), 1e-3, "learning rate"),
                Param.of("warmup", Type.atLeast(0), 0, "warm-up steps"),
                Param.choice("schedule", "decay", "constant", "cosine", "linear"),
                Param.of("decay", new Type.Component(Kind.SCHEDULE), new Value.Call("step", java.util.Map.of(), null), "schedule"))));
        all.add(plain("step", Kind.SCHEDULE, List.of(Param.of("every", Type.positive(), 100, "steps"))));
    }

    private static long positions(Shape in) throws ShapeException {
        long p = 1;
        for (int i = 1; i < in.rank() - 1; i++) p *= in.size(i);
        return p;
    }

    private static void requireFloat(Shape in, String who) throws ShapeException {
        if (in.dtype() != DType.FLOAT) {
            throw new ShapeException("expects float features, got " + in.describe(), "embed token ids first, e.g. embed(vocab, dim)");
        }
    }

    private static void classesCheck(Args a, Shape out, DataSchema.Field label, long classes) throws ShapeException {
        if (out.dtype() != DType.FLOAT || out.rank() != label.shape().rank() + 1) {
            throw new ShapeException("expects class scores of rank " + (label.shape().rank() + 1) + ", got " + out.describe());
        }
        if (out.last() != classes) {
            throw new ShapeException("expects " + classes + " class scores, got " + out.last(),
                    "end the model with dense(" + classes + ")");
        }
    }

    interface ShapeRule { Shape apply(Args a, Shape in, Map<String, Shape> refs) throws ShapeException; }

    interface CostRule { Cost apply(Args a, Shape in, Shape out) throws ShapeException; }

    interface SchemaRule { DataSchema apply(Args a) throws ShapeException; }

    interface TargetRule { void check(Args a, Shape out, DataSchema.Field label, long classes) throws ShapeException; }

    private static LayerSpec layer(String name, String variant, boolean isDefault, List<Param> params, ShapeRule shape, CostRule cost) {
        Signature sig = new Signature(Kind.LAYER, name, variant, name, params);
        return new LayerSpec() {
            public Signature signature() { return sig; }
            public boolean defaultVariant() { return isDefault; }
            public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
                return shape.apply(args, input, refs);
            }
            public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
                return cost.apply(args, input, output);
            }
        };
    }

    /** An MoE-like layer with side outputs: aux {@code balance} always, aux {@code zloss} when asked, probe {@code load}. */
    private static LayerSpec experts() {
        Signature sig = new Signature(Kind.LAYER, "experts", null, "experts",
                List.of(Param.of("zloss", new Type.Bool(), false, "emit the router z-loss")));
        return new LayerSpec() {
            public Signature signature() { return sig; }
            public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
                requireFloat(input, "experts");
                return input;
            }
            public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) { return Cost.FREE; }
            public List<SideOutput> sideOutputs(Args args) {
                List<SideOutput> out = new ArrayList<>(List.of(SideOutput.aux("balance", "load balance"), SideOutput.probe("load", "load")));
                if (args.bool("zloss")) out.add(SideOutput.aux("zloss", "router z-loss"));
                return out;
            }
            public List<SideOutput> possibleSideOutputs() {
                return List.of(SideOutput.aux("balance", "load balance"), SideOutput.probe("load", "load"),
                        SideOutput.aux("zloss", "router z-loss"));
            }
        };
    }

    private static DataSpec data(String name, List<Param> params, SchemaRule schema) {
        Signature sig = new Signature(Kind.DATA, name, null, name, params);
        return new DataSpec() {
            public Signature signature() { return sig; }
            public DataSchema schema(Args args) throws ShapeException { return schema.apply(args); }
        };
    }

    private static TargetSpec target(String name, Kind kind, List<Param> params, TargetRule rule) {
        Signature sig = new Signature(kind, name, null, name, params);
        return new TargetSpec() {
            public Signature signature() { return sig; }
            public void check(Args args, Shape output, DataSchema.Field label, long classes) throws ShapeException {
                rule.check(args, output, label, classes);
            }
        };
    }

    private static ComponentSpec plain(String name, Kind kind, List<Param> params) {
        Signature sig = new Signature(kind, name, null, name, params);
        return () -> sig;
    }

    @Override
    public List<ComponentSpec> lookup(Kind kind, String name) {
        List<ComponentSpec> out = new ArrayList<>();
        for (ComponentSpec c : all) {
            if (c.signature().kind() == kind && c.signature().name().equals(name)) out.add(c);
        }
        return out;
    }

    @Override
    public Collection<String> names(Kind kind) {
        TreeSet<String> out = new TreeSet<>();
        for (ComponentSpec c : all) if (c.signature().kind() == kind) out.add(c.signature().name());
        return out;
    }
}
