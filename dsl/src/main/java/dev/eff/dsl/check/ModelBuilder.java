package dev.eff.dsl.check;

import dev.eff.dsl.ast.Body;
import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.resolve.Folder;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Scope;
import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instantiates a model body: binds every call, unrolls {@code repeat}, turns {@code residual} blocks into
 * explicit joins and, when the input shapes are known, infers every shape and cost through the components'
 * shape rules. With unknown input shapes it still checks every call's arguments. After a shape error the
 * stream's shape becomes unknown, so one mistake is reported once rather than at every later layer.
 */
final class ModelBuilder {
    /** Repeats beyond this are almost certainly a mistake and would build an enormous graph. */
    static final long MAX_REPEAT = 10_000;
    /**
     * Layer calls a model may have once its repeats are unrolled: nested repeats multiply, so each
     * count being reasonable does not bound the graph (far above the deepest published networks).
     */
    static final long MAX_UNROLLED = 20_000;

    private final Catalog catalog;
    private final Binder binder;
    private final Reporter report;
    /** Folds repeat counts to size a repeat before unrolling it; their errors are reported when the body is walked. */
    private final Folder quiet = new Folder(new Reporter(new Diagnostics()));

    ModelBuilder(Catalog catalog, Binder binder) {
        this.catalog = catalog;
        this.binder = binder;
        this.report = binder.report();
    }

    /** A top-level {@code input} declaration; {@code shape} is null when its type had errors. */
    record DeclaredInput(String name, Span span, Shape shape) {}

    List<DeclaredInput> declaredInputs(Stmt.ModelDecl decl, Scope scope) {
        List<DeclaredInput> out = new ArrayList<>();
        Map<String, Span> seen = new HashMap<>();
        for (Body b : decl.body()) {
            if (!(b instanceof Body.Input in)) continue;
            String name = in.name().text();
            Span first = seen.putIfAbsent(name, in.name().span());
            if (first != null) {
                report.error(in.name().span(), "input '" + name + "' is already declared at " + first.line() + ":" + first.column(), null);
                continue;
            }
            out.add(new DeclaredInput(name, in.span(), shape(in.type(), scope)));
        }
        return out;
    }

    private Shape shape(Body.TensorType t, Scope scope) {
        String word = t.dtype().text();
        DType dtype = switch (word) {
            case "int" -> DType.INT;
            case "float" -> DType.FLOAT;
            default -> null;
        };
        if (dtype == null) {
            report.error(t.dtype().span(), "unknown element type '" + word + "'" + Spelling.didYouMean(word, List.of("int", "float")),
                    "inputs are int (token ids, class ids) or float");
        }
        if (t.dims().isEmpty()) {
            report.error(t.span(), "an input needs at least one dimension", "e.g. int[128] for 128 token ids per example");
            return null;
        }
        long[] sizes = new long[t.dims().size()];
        boolean ok = dtype != null;
        for (int i = 0; i < sizes.length; i++) {
            Value v = binder.coerce(t.dims().get(i), Type.positive(), "dimension " + (i + 1), scope, Binder.Values.NONE);
            if (v == null) ok = false;
            else sizes[i] = ((Value.Int) v).value();
        }
        if (!ok) return null;
        try {
            Exact.times(sizes);
        } catch (ArithmeticException e) {
            report.error(t.span(), "this input has more than 2^63 values per example", "a dimension is far too large");
            return null;
        }
        return Shape.batch(dtype, sizes);
    }

    /** A value of the body: its id, and its shape or null when unknown. */
    private record Val(String id, Shape shape) {}

    private static final Val UNKNOWN = new Val(null, null);
    /** The stream before any flow, in a model with several inputs: a call needs a named start. */
    private static final Val NO_STREAM = new Val(null, null);

    /** Unique readable names within one scope: {@code dense}, {@code dense2}; repeats number blocks on. */
    private static final class Namer {
        private final Map<String, Integer> counts = new HashMap<>();
        private int blocks;

        String name(String base) {
            int n = counts.merge(base, 1, Integer::sum);
            return n == 1 ? base : base + n;
        }
    }

    private final class Walk {
        final String model;
        final Scope scope;
        final List<Node> nodes = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        final int inputCount;
        final Collection<String> inputNames;
        /** Layer calls the top-level repeats may still unroll to, see {@link #MAX_UNROLLED}. */
        long budget = MAX_UNROLLED;
        int repeatDepth;
        /** Inside a body that is not unrolled: each nested body is walked once, to check its calls. */
        boolean checkOnly;
        /** The cost of the calls so far, so that an overflowing total is reported at the call that overflows it. */
        Cost total = Cost.FREE;

        Walk(String model, Scope scope, Collection<String> inputNames) {
            this.model = model;
            this.scope = scope;
            this.inputCount = inputNames.size();
            this.inputNames = inputNames;
            ids.addAll(inputNames);
        }

        String unique(String path) {
            String id = path;
            for (int k = 2; !ids.add(id); k++) id = path + "_" + k;
            return id;
        }
    }

    /**
     * Walks the body. {@code inputs} maps each input's id to its shape (null when unknown); the result is
     * null when any shape is unknown or an error was found, but every call is checked either way.
     */
    ModelGraph build(Stmt.ModelDecl decl, Args params, Scope scope, Map<String, Shape> inputs) {
        Walk w = new Walk(decl.name().text(), scope, inputs.keySet());
        Map<String, Val> values = new LinkedHashMap<>();
        inputs.forEach((name, shape) -> values.put(name, new Val(name, shape)));
        Val start = inputs.size() == 1 ? values.values().iterator().next() : NO_STREAM;
        int errorsBefore = report.errorCount();
        Val out = walk(decl.body(), "", values, start, true, w);
        if (noFlows(decl.body())) {
            report.error(decl.name().span(), "model '" + w.model + "' has no layers",
                    "add a flow to its body, e.g. dense(10)");
            return null;
        }
        checkCausality(w.nodes);
        if (report.errorCount() == errorsBefore) checkExits(w.nodes, inputs.size() == 1 ? inputs.keySet().iterator().next() : null);
        if (out == NO_STREAM || out.shape() == null || report.errorCount() > errorsBefore) return null;
        for (Shape s : inputs.values()) if (s == null) return null;
        List<ModelGraph.Input> ins = new ArrayList<>();
        inputs.forEach((name, shape) -> ins.add(new ModelGraph.Input(name, shape)));
        return new ModelGraph(w.model, decl.span(), params, ins, w.nodes, out.id(), out.shape());
    }

    /**
     * A model with a causal call anywhere (before or after) is causal as a whole: a call that reads later positions
     * would leak the future into every position after it, so each such call is reported at its own position.
     */
    private void checkCausality(List<Node> nodes) {
        Node.Apply causal = null;
        for (Node n : nodes) if (n instanceof Node.Apply a && a.spec().causal(a.args())) causal = a;
        if (causal == null) return;
        for (Node n : nodes) {
            if (!(n instanceof Node.Apply a)) continue;
            try {
                a.spec().checkInCausalModel(a.args());
            } catch (ShapeException e) {
                String why = "the model is causal: " + causal.path() + " at " + causal.span().line() + ":" + causal.span().column();
                report.error(a.span(), a.spec().signature().title() + ": " + e.getMessage(),
                        e.hint() == null ? why : e.hint() + "; " + why);
            }
        }
    }

    /** An early exit needs a decoder stack before it and a head after it, which no shape rule sees: see {@link DecoderStack}. */
    private void checkExits(List<Node> nodes, String input) {
        for (int i = 0; i < nodes.size(); i++) {
            if (!(nodes.get(i) instanceof Node.Apply a && a.spec() instanceof ExitSpec)) continue;
            try {
                DecoderStack.of(nodes, i, input);
            } catch (ShapeException e) {
                report.error(a.span(), a.spec().signature().title() + ": " + e.getMessage(), e.hint());
            }
        }
    }

    private static boolean noFlows(List<Body> body) {
        return body.stream().allMatch(b -> b instanceof Body.Input);
    }

    private Val walk(List<Body> body, String prefix, Map<String, Val> values, Val stream, boolean top, Walk w) {
        Namer namer = new Namer();
        return walk(body, prefix, namer, values, stream, top, w);
    }

    private Val walk(List<Body> body, String prefix, Namer namer, Map<String, Val> values, Val stream, boolean top, Walk w) {
        Val cur = stream;
        Map<String, Span> defined = new HashMap<>();
        for (Body b : body) {
            if (b instanceof Body.Input in) {
                if (!top) {
                    report.error(in.span(), "inputs are declared at the top level of a model body",
                            "move 'input " + in.name().text() + "' out of this block");
                }
            } else if (b instanceof Body.Value v) {
                String name = v.name().text();
                Val r = flow(v.flow(), cur, prefix, namer, values, w);
                Span first = defined.get(name);
                if (values.containsKey(name)) {
                    report.error(v.name().span(), first != null
                                    ? "value '" + name + "' is already defined at " + first.line() + ":" + first.column()
                                    : "'" + name + "' is already a value of model '" + w.model + "'",
                            "choose another name");
                } else {
                    defined.put(name, v.name().span());
                    values.put(name, r == NO_STREAM ? UNKNOWN : r);
                }
            } else {
                cur = flow(((Body.FlowStmt) b).flow(), cur, prefix, namer, values, w);
            }
        }
        return cur;
    }

    private Val flow(Body.Flow flow, Val stream, String prefix, Namer namer, Map<String, Val> values, Walk w) {
        Val cur = stream;
        for (int i = 0; i < flow.stages().size(); i++) {
            Body.Stage stage = flow.stages().get(i);
            if (stage instanceof Body.RefStage r) {
                String name = r.name().text();
                if (values.containsKey(name)) {
                    if (i == 0) {
                        cur = values.get(name);
                    } else {
                        report.error(r.span(), "value '" + name + "' can only start a flow",
                                "to combine it with the stream, pass it to a layer that takes a value");
                        cur = UNKNOWN;
                    }
                } else if (!catalog.lookup(Kind.LAYER, name).isEmpty()) {
                    cur = apply(new Expr.Call(r.span(), r.name(), List.of()), cur, prefix, namer, values, w);
                } else {
                    List<String> candidates = new ArrayList<>(values.keySet());
                    candidates.addAll(catalog.names(Kind.LAYER));
                    report.error(r.span(), "unknown name '" + name + "'" + Spelling.didYouMean(name, candidates),
                            "a stage is a layer call such as dense(10), or a value of this model: "
                                    + (values.isEmpty() ? "none is defined" : Spelling.list(values.keySet())));
                    cur = UNKNOWN;
                }
            } else if (stage instanceof Body.CallStage c) {
                cur = apply(c.call(), cur, prefix, namer, values, w);
            } else if (stage instanceof Body.Repeat rp) {
                cur = repeat(rp, cur, prefix, namer, values, w);
            } else {
                cur = residual((Body.Residual) stage, cur, prefix, namer, values, w);
            }
        }
        return cur;
    }

    private Val repeat(Body.Repeat rp, Val cur, String prefix, Namer namer, Map<String, Val> values, Walk w) {
        Value count = binder.coerce(rp.count(), Type.atLeast(0), "the repeat count", w.scope, Binder.Values.NONE);
        if (count != null && ((Value.Int) count).value() > MAX_REPEAT) {
            report.error(rp.count().span(), "repeat count " + count.render() + " is too large (at most " + MAX_REPEAT + ")", null);
            count = null;
        }
        long n = count == null ? -1 : ((Value.Int) count).value();
        if (n <= 0 || w.checkOnly) {
            checkOnly(rp.body(), prefix + (n == 0 ? "block0/" : "block?/"), values, w);
            return n == 0 ? cur : UNKNOWN;
        }
        if (w.repeatDepth == 0) {
            long calls = saturatedTimes(n, calls(rp.body(), w.scope));
            w.budget -= calls;
            if (w.budget < 0) {
                report.error(new Span(rp.span().source(), rp.span().start(), rp.span().start() + "repeat".length()),
                        "this repeat unrolls to " + (calls == Long.MAX_VALUE ? "more than 2^63" : String.format("%,d", calls))
                                + " layer calls; a model may have at most " + String.format("%,d", MAX_UNROLLED),
                        "nested repeats multiply: lower the counts");
                checkOnly(rp.body(), prefix + "block?/", values, w);
                return UNKNOWN;
            }
        }
        w.repeatDepth++;
        try {
            for (long k = 0; k < n; k++) {
                cur = walk(rp.body(), prefix + "block" + (++namer.blocks) + "/", new LinkedHashMap<>(values), cur, false, w);
            }
        } finally {
            w.repeatDepth--;
        }
        return cur;
    }

    /**
     * Checks the calls of a body that is not unrolled (a count of 0, a count with errors, a repeat too
     * large): once, whatever repeats it nests, and without adding layers to the model.
     */
    private void checkOnly(List<Body> body, String prefix, Map<String, Val> values, Walk w) {
        boolean was = w.checkOnly;
        w.checkOnly = true;
        try {
            walk(body, prefix, new LinkedHashMap<>(values), UNKNOWN, false, w);
        } finally {
            w.checkOnly = was;
        }
    }

    /** The layer calls a body unrolls to, saturating at Long.MAX_VALUE; a count with errors counts once (it is reported elsewhere). */
    private long calls(List<Body> body, Scope scope) {
        long total = 0;
        for (Body b : body) {
            Body.Flow flow = b instanceof Body.Value v ? v.flow() : b instanceof Body.FlowStmt f ? f.flow() : null;
            if (flow == null) continue;
            for (Body.Stage stage : flow.stages()) {
                long c;
                if (stage instanceof Body.Repeat rp) {
                    Value count = quiet.fold(rp.count(), scope);
                    long n = count instanceof Value.Int i && i.value() >= 0 ? Math.min(i.value(), MAX_REPEAT) : 1;
                    c = saturatedTimes(n, calls(rp.body(), scope));
                } else if (stage instanceof Body.Residual rs) {
                    c = saturatedPlus(1, calls(rs.body(), scope));
                } else {
                    c = 1;
                }
                total = saturatedPlus(total, c);
            }
        }
        return total;
    }

    private static long saturatedTimes(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    private static long saturatedPlus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    private Val residual(Body.Residual rs, Val cur, String prefix, Namer namer, Map<String, Val> values, Walk w) {
        String path = prefix + namer.name("residual");
        if (noFlows(rs.body())) {
            report.error(rs.span(), "empty residual block", "a residual adds a block's output to its input; put layers in it");
            return UNKNOWN;
        }
        if (cur == NO_STREAM) {
            report.error(rs.span(), "no input for this residual block", startHint(w));
            walk(rs.body(), path + "/", new LinkedHashMap<>(values), UNKNOWN, false, w);
            return UNKNOWN;
        }
        Val inner = walk(rs.body(), path + "/", new LinkedHashMap<>(values), cur, false, w);
        if (cur.shape() == null || inner.shape() == null || inner == NO_STREAM) return UNKNOWN;
        if (!cur.shape().sameAs(inner.shape())) {
            report.error(rs.span(), "residual block changes the shape from " + cur.shape().describe() + " to "
                            + inner.shape().describe(),
                    "a residual adds the block's output to its input, so both must have the same shape");
            return UNKNOWN;
        }
        try {
            // The join adds one value per element: counted so that a total with it cannot overflow either.
            w.total = w.total.plus(Cost.of(0, cur.shape().exampleElements()));
        } catch (ArithmeticException | ShapeException e) {
            report.error(rs.span(), "sizes overflow here: the model's shapes, parameters or FLOPs no longer fit in 64 bits", null);
            return UNKNOWN;
        }
        String id = w.unique(path);
        w.nodes.add(new Node.Residual(id, rs.span(), path, cur.id(), inner.id(), cur.shape()));
        return new Val(id, cur.shape());
    }

    private String startHint(Walk w) {
        return "this model has " + w.inputCount + " inputs (" + String.join(", ", w.inputNames)
                + "); start the flow with one of them, e.g. " + w.inputNames.iterator().next() + " |> ...";
    }

    private Val apply(Expr.Call call, Val in, String prefix, Namer namer, Map<String, Val> values, Walk w) {
        Binder.Values refs = new Binder.Values() {
            public String id(String name) {
                Val v = values.get(name);
                return v == null ? null : v.id() == null ? "?" : v.id();
            }
            public Collection<String> names() { return values.keySet(); }
        };
        Value.Call bound = binder.bind(call, Kind.LAYER, w.scope, refs);
        if (in == NO_STREAM) {
            report.error(call.span(), "no input for '" + call.name().text() + "'", startHint(w));
            return UNKNOWN;
        }
        if (bound == null) return UNKNOWN;
        if (!(bound.spec() instanceof LayerSpec layer)) {
            report.error(call.span(), "internal error: layer '" + bound.name() + "' has no shape rule",
                    "its component class must implement LayerSpec");
            return UNKNOWN;
        }
        Signature sig = layer.signature();
        Map<String, String> refIds = new LinkedHashMap<>();
        Map<String, Shape> refShapes = new LinkedHashMap<>();
        boolean known = in.shape() != null;
        for (Param p : sig.params()) {
            if (p.type() instanceof Type.Ref && bound.args().get(p.name()) instanceof Value.Ref r) {
                Val v = values.get(r.name());
                if (v.shape() == null) known = false;
                else {
                    refIds.put(p.name(), v.id());
                    refShapes.put(p.name(), v.shape());
                }
            }
        }
        if (!known || w.checkOnly) return UNKNOWN;
        Args args = bound.asArgs();
        Shape out;
        Cost cost;
        try {
            out = layer.outputShape(args, in.shape(), refShapes);
            if (out == null) throw new IllegalStateException("outputShape returned null");
            for (Dim d : out.dims()) {
                if (d instanceof Dim.Fixed f && f.size() <= 0) throw new ArithmeticException("size " + f.size());
            }
            out.exampleElements();
            cost = layer.cost(args, in.shape(), out, refShapes);
            if (cost.params() < 0 || cost.activeParams() < 0 || cost.flops() < 0) throw new ArithmeticException("negative cost");
            w.total = w.total.plus(cost);
        } catch (ArithmeticException e) {
            report.error(call.span(), sig.title() + ": sizes overflow here: the model's shapes, parameters or FLOPs no longer fit in 64 bits",
                    "its input here is " + in.shape().describe() + "; a dimension or an argument is far too large");
            return UNKNOWN;
        } catch (ShapeException e) {
            String hint = "its input here is " + in.shape().describe();
            report.error(call.span(), sig.title() + ": " + e.getMessage(), e.hint() == null ? hint : e.hint() + "; " + hint);
            return UNKNOWN;
        } catch (RuntimeException e) {
            report.error(call.span(), "internal error in component '" + sig.title() + "': " + e,
                    "this is a bug in the component, not in the script");
            return UNKNOWN;
        }
        String path = prefix + namer.name(sig.name());
        String id = w.unique(path);
        w.nodes.add(new Node.Apply(id, call.span(), path, layer, args, in.id(), refIds, in.shape(), out, cost));
        return new Val(id, out);
    }
}
